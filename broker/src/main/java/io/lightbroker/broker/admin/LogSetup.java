package io.lightbroker.broker.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Settings;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log-level} and {@code log-format} to Logback once the configuration is known
 * (Logback is configured by then, by {@link LogDefaults}, so the plain-text appender exists and
 * only its encoder is swapped). Only the server's {@code main} calls this: an application
 * embedding the broker owns its logging.
 */
public final class LogSetup {
    private LogSetup() {}

    public static void apply(Config config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.get(Settings.LOG_LEVEL), Level.INFO));
        if (config.get(Settings.LOG_FORMAT).equals("json")) {
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> a) {
                    JsonLogEncoder json = new JsonLogEncoder();
                    json.setContext(ctx);
                    json.start();
                    a.stop();
                    a.setEncoder(json);
                    a.start();
                }
            }
        }
    }
}
