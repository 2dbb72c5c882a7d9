package io.lightbroker.broker.config;

/** A setting could not be used; the message names the setting and where its value came from. Exit code 2. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
