package io.lightbroker.broker.cli;

import io.lightbroker.broker.server.Main;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The executable jar's main class: {@code lightbroker [command] [options]}.
 *
 * <p>Without a command, or when the first argument is an option, it is {@code serve}, so
 * {@code java -jar lightbroker.jar --resp-port 6380} starts the server exactly as
 * {@link Main} always did. The other commands are small clients that container images,
 * compose files and scripts use instead of installing redis-cli, the nats CLI or curl:
 * {@code healthcheck}, {@code pub}, {@code sub}, and {@code bench} (the load generator, when
 * it is on the class path).
 *
 * <p>This class must stay cheap to load: {@code healthcheck} runs every few seconds in a
 * fresh JVM (Docker's HEALTHCHECK), so nothing here may touch Netty, Logback or the broker
 * core before the command is known. HotSpot resolves a class on first use, so the
 * {@link Main} reference below costs nothing until {@code serve} runs.
 *
 * <p>Two environment variables stand for the server's file options, so a platform can set
 * everything through the environment: {@value #CONFIG_ENV} for {@code --config} and
 * {@value #CONFIG_DIR_ENV} for {@code --config-dir} (an explicit option wins). The image
 * sets the latter to its override directory; {@code healthcheck} reads the same files to find
 * the admin port.
 */
public final class Launcher {
    /** Environment variable naming the {@code --config} file. */
    public static final String CONFIG_ENV = "LIGHTBROKER_CONFIG";
    /** Environment variable naming the {@code --config-dir} directory. */
    public static final String CONFIG_DIR_ENV = "LIGHTBROKER_CONFIG_DIR";

    /** Every environment variable the launcher itself reads (the settings' own are in the settings table). */
    public static final List<String> ENV_VARS = List.of(CONFIG_ENV, CONFIG_DIR_ENV);

    private Launcher() {}

    public static void main(String[] args) {
        io.lightbroker.broker.server.Main.serverDefaults();
        int status = run(args, System.getenv(), System.out, System.err);
        System.exit(status);
    }

    /** Runs one command; returns the exit status (0 ok, 1 failure, 2 bad usage or configuration). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].startsWith("-") && !isHelp(args[0])) {
            return serve(args, env, out, err);
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (command) {
                case "serve" -> serve(rest, env, out, err);
                case "healthcheck" -> HealthCheck.run(rest, env, out, err);
                case "pub" -> PubCommand.run(rest, env, out, err);
                case "sub" -> SubCommand.run(rest, env, out, err);
                case "bench" -> BenchCommand.run(rest, err);
                case "help", "--help", "-h" -> {
                    usage(out);
                    out.println();
                    yield Main.run(new String[] {"--help"}, env, out, err);
                }
                default -> {
                    err.println("lightbroker: unknown command '" + command + "' (commands: serve, healthcheck, pub, sub, bench, help)");
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println("lightbroker " + command + ": " + e.getMessage());
            return 2;
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    /** {@code serve}: {@link Main} with {@value #CONFIG_ENV} / {@value #CONFIG_DIR_ENV} turned into options. */
    static int serve(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return Main.run(withFileOptions(args, env), env, out, err);
    }

    static String[] withFileOptions(String[] args, Map<String, String> env) {
        List<String> all = new ArrayList<>();
        addUnlessGiven(all, args, "--config", env.get(CONFIG_ENV));
        addUnlessGiven(all, args, "--config-dir", env.get(CONFIG_DIR_ENV));
        all.addAll(Arrays.asList(args));
        return all.toArray(String[]::new);
    }

    private static void addUnlessGiven(List<String> all, String[] args, String option, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        for (String a : args) {
            if (a.equals(option) || a.startsWith(option + "=")) {
                return;
            }
        }
        all.add(option);
        all.add(value);
    }

    static void usage(PrintStream out) {
        out.println("Usage: lightbroker [command] [options]");
        out.println();
        out.println("Commands:");
        out.println("  serve [options]        run the broker (the default; see 'lightbroker serve --help')");
        out.println("  healthcheck            GET /healthz on the admin port; exit 0 if healthy, 1 if not");
        out.println("      [--admin-port N] [--host H] [--path /readyz] [--timeout 2s]");
        out.println("  pub --proto nats|resp [--url URL] [--count N] [--interval 100ms] SUBJECT MESSAGE");
        out.println("                         publish MESSAGE N times; '{n}' in MESSAGE becomes the sequence number");
        out.println("  sub --proto nats|resp [--url URL] [--queue GROUP] [--pattern] [--count N] SUBJECT");
        out.println("                         print 'SUBJECT PAYLOAD' for every message (--count: stop after N)");
        out.println("  bench [options]        the load generator (io.lightbroker.bench.load.LoadGen), when on the class path");
        out.println("  help                   this text");
        out.println();
        out.println("Client credentials: --auth-file FILE (RESP password or NATS token; with --user NAME,");
        out.println("that user's password), never on the command line.");
        out.println("Environment: " + CONFIG_ENV + " and " + CONFIG_DIR_ENV + " stand for --config and --config-dir.");
    }
}
