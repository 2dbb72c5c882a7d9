package io.lightbroker.nats;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets {@code -Dfuzz.tries=N} override the CI-sized {@code tries} of a fuzz property, so the same
 * property serves the bounded run in every build and a long run by hand (see docs/fuzzing.md).
 * Surefire hands {@code -D} properties of the Maven command line on to the forked test JVM.
 */
public final class FuzzTries implements AroundPropertyHook {

    /** Registered on a test class, the hook is meant for every property in it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String tries = System.getProperty("fuzz.tries");
        // An @Example is a property with one try; it stays one.
        boolean example = context.attributes().tries().orElse(0) == 1;
        if (tries != null && !tries.isBlank() && !example) {
            context.attributes().setTries(Integer.valueOf(tries.trim()));
        }
        return property.execute();
    }
}
