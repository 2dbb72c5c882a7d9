package io.lightbroker.broker.server;

/** Placeholder entry point; replaced by the real server main in the foundation work. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("lightbroker 0.1.0-SNAPSHOT");
    }
}
