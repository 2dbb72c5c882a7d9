package io.lightbroker.broker.cli;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * {@code lightbroker bench [options]}: hands the arguments to the load generator's
 * {@code main} when {@value #LOAD_GEN} is on the class path. The broker jar does not carry
 * the benchmarks module (JMH and HdrHistogram have no place in a server image), so it is
 * usually absent: add the benchmarks jar to the class path, or run it directly.
 */
final class BenchCommand {
    static final String LOAD_GEN = "io.lightbroker.bench.load.LoadGen";

    private BenchCommand() {}

    static int run(String[] args, PrintStream err) {
        return run(LOAD_GEN, args, err);
    }

    static int run(String className, String[] args, PrintStream err) {
        Method main;
        try {
            main = Class.forName(className, true, BenchCommand.class.getClassLoader()).getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            err.println("lightbroker bench: the load generator (" + className + ") is not in this build."
                    + " Run it from the benchmarks module, or put its jar on the class path:"
                    + " java -cp lightbroker.jar:benchmarks.jar io.lightbroker.broker.cli.Launcher bench ...");
            return 1;
        }
        try {
            main.invoke(null, (Object) args);
            return 0;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            err.println("lightbroker bench: " + cause);
            return 1;
        } catch (IllegalAccessException e) {
            err.println("lightbroker bench: cannot call " + className + ".main: " + e.getMessage());
            return 1;
        }
    }
}
