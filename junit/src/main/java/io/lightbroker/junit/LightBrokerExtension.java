package io.lightbroker.junit;

import io.lightbroker.broker.server.LightBroker;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs an embedded {@link LightBroker} for JUnit 5 tests: RESP and NATS on free loopback ports,
 * started before the tests that need it and closed after them, injected as a parameter.
 *
 * <pre>{@code
 * @ExtendWith(LightBrokerExtension.class)             // defaults, one broker per test class
 * class OrderServiceTest {
 *     @Test
 *     void publishesOrders(LightBroker broker, @NatsUrl String nats, @RespUrl String redis) { ... }
 * }
 *
 * class SecuredTest {
 *     @RegisterExtension                               // configured; static: per class,
 *     static LightBrokerExtension broker =             // instance field or perMethod(): per test
 *             LightBrokerExtension.withBroker(b -> b.natsToken("s3cret")).perMethod();
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> Registered declaratively or in a static field, the broker is started in
 * {@code beforeAll} and shared by the class's tests (and by its {@code @Nested} classes);
 * registered in an instance field, or with {@link #perMethod()}, each test gets a fresh one.
 * Between tests of a shared broker, {@link LightBroker#faults()} is reset, so a fault armed by
 * one test never leaks into the next; captures and in-process subscriptions are the test's own
 * to close.
 *
 * <p><b>Parallel tests.</b> The broker lives in the JUnit store of the class (or test) that
 * started it, never in a static field, and every broker binds its own free ports, so test
 * classes running in parallel each get their own broker. A shared broker is itself thread-safe
 * for concurrent test methods.
 *
 * <p><b>Parameters.</b> {@link LightBroker}; {@code String} annotated {@link RespUrl} or
 * {@link NatsUrl}. They resolve in test and lifecycle methods and in test constructors.
 */
public final class LightBrokerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LightBrokerExtension.class);
    private static final String CLASS_BROKER = "class-broker";
    private static final String METHOD_BROKER = "method-broker";

    private final UnaryOperator<LightBroker.Builder> configuration;
    private final boolean perMethod;

    /** Defaults (what {@code @ExtendWith(LightBrokerExtension.class)} uses): see {@link #defaults()}. */
    public LightBrokerExtension() {
        this(UnaryOperator.identity(), false);
    }

    private LightBrokerExtension(UnaryOperator<LightBroker.Builder> configuration, boolean perMethod) {
        this.configuration = configuration;
        this.perMethod = perMethod;
    }

    /**
     * An extension whose brokers start from {@link #defaults()} changed by {@code configuration},
     * e.g. {@code b -> b.requirePass("pw").setting("nats-max-payload", "64kb")}.
     */
    public static LightBrokerExtension withBroker(UnaryOperator<LightBroker.Builder> configuration) {
        return new LightBrokerExtension(Objects.requireNonNull(configuration, "configuration"), false);
    }

    /** The same configuration, with a fresh broker for every test method. */
    public LightBrokerExtension perMethod() {
        return new LightBrokerExtension(configuration, true);
    }

    /**
     * What every broker starts from: bound to 127.0.0.1, RESP and NATS on free ports, no admin
     * listener, one event loop thread (plenty for tests, and the quickest to start and stop).
     */
    public static LightBroker.Builder defaults() {
        return LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).adminPort(-1).ioThreads(1);
    }

    private LightBroker start() {
        return configuration.apply(defaults()).start();
    }

    // ---- lifecycle ----

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perMethod && find(context) == null) {
            context.getStore(NS).put(CLASS_BROKER, start());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perMethod || find(context) == null) {
            if (context.getStore(NS).get(METHOD_BROKER, LightBroker.class) == null) {
                context.getStore(NS).put(METHOD_BROKER, start());
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LightBroker own = context.getStore(NS).remove(METHOD_BROKER, LightBroker.class);
        if (own != null) {
            own.close();
            return;
        }
        LightBroker shared = find(context);
        if (shared != null) {
            shared.faults().reset();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LightBroker own = context.getStore(NS).remove(CLASS_BROKER, LightBroker.class);
        if (own != null) {
            own.close();
        }
    }

    /**
     * The broker of the current test: its own, else its class's or an enclosing class's
     * (store lookups walk up to the parent contexts).
     */
    private static LightBroker find(ExtensionContext context) {
        LightBroker b = context.getStore(NS).get(METHOD_BROKER, LightBroker.class);
        return b != null ? b : context.getStore(NS).get(CLASS_BROKER, LightBroker.class);
    }

    /**
     * The broker of a running test, for code that has an {@link ExtensionContext} (other
     * extensions); tests take it as a parameter instead.
     */
    public static LightBroker broker(ExtensionContext context) {
        LightBroker b = find(context);
        if (b == null) {
            throw new IllegalStateException("no lightbroker in this test's context; is LightBrokerExtension registered?");
        }
        return b;
    }

    // ---- parameters ----

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
        Class<?> type = p.getParameter().getType();
        if (type == LightBroker.class) {
            return true;
        }
        return type == String.class && (p.isAnnotated(RespUrl.class) || p.isAnnotated(NatsUrl.class));
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
        LightBroker b = find(context);
        if (b == null) {
            // A constructor of a per-method test, resolved before beforeEach: start it now;
            // beforeEach will find it and afterEach will close it.
            b = start();
            context.getStore(NS).put(context.getTestMethod().isPresent() ? METHOD_BROKER : CLASS_BROKER, b);
        }
        if (p.getParameter().getType() == LightBroker.class) {
            return b;
        }
        try {
            return p.isAnnotated(RespUrl.class) ? b.respUrl() : b.natsUrl();
        } catch (IllegalStateException disabled) {
            throw new ParameterResolutionException(disabled.getMessage(), disabled);
        }
    }
}
