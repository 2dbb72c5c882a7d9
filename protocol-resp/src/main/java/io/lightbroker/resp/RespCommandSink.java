package io.lightbroker.resp;

/** Receives each complete command the parser finds; the {@link RespArgs} view is valid only during the call. */
@FunctionalInterface
public interface RespCommandSink {
    void onCommand(RespArgs args);
}
