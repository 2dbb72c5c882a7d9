package io.lightbroker.broker.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The broker's default Logback configuration, in code: one plain-text console appender on
 * stdout, root at INFO, Netty at WARN ({@link LogSetup} then applies {@code log-level} and
 * {@code log-format}).
 *
 * <p>Found through Logback's {@link Configurator} service and ranked just above its fallback,
 * so it only applies when nothing else configures Logback: a {@code logback.xml} or
 * {@code logback-test.xml} of an application that embeds the broker is read first and wins.
 *
 * <p>Why code and not a {@code logback.xml} in the jar: reading XML made Logback load its Joran
 * machinery and the JDK's XML parser at every start, about 600 classes and 0.35 s of the
 * broker's 1.6 s to its first accepted connection (`-Xlog:class+load` with uptime decorations),
 * and the image needed the {@code java.xml} module only for that.
 */
@ConfiguratorRank(ConfiguratorRank.FALLBACK + 5)
public final class LogDefaults extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(ctx);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
