package io.lightbroker.broker.admin;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One flat JSON object per log line: {@code timestamp} (ISO-8601 UTC), {@code level},
 * {@code logger}, {@code thread}, {@code message}, then every MDC key (such as
 * {@code client_id} or {@code remote}) as a top-level field, and {@code exception} when there
 * is one.
 *
 * <p>Logback's own {@code JsonEncoder} nests the MDC and names fields {@code loggerName} and
 * {@code threadName}; log shippers index flat fields without a mapping step, so this writes
 * the flat shape with Jackson's streaming generator (no object tree per line).
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NOTHING = new byte[0];
    private static final JsonFactory JSON = new JsonFactory();
    /** MDC keys that would shadow the fixed fields are left out rather than duplicated. */
    private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "thread", "message", "exception");

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", Instant.ofEpochMilli(e.getTimeStamp()).toString());
            g.writeStringField("level", e.getLevel().toString());
            g.writeStringField("logger", e.getLoggerName());
            g.writeStringField("thread", e.getThreadName());
            g.writeStringField("message", e.getFormattedMessage());
            Map<String, String> mdc = e.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> m : mdc.entrySet()) {
                    if (!RESERVED.contains(m.getKey())) {
                        g.writeStringField(m.getKey(), m.getValue());
                    }
                }
            }
            IThrowableProxy t = e.getThrowableProxy();
            if (t != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(t));
            }
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }
}
