package io.capconduit.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Names a benchmark class. {@code -Dbench=<name>} runs only the one of that name; without it, all run. The
 * condition is checked before any Spring context starts, so skipped benchmarks cost nothing.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Benchmark.Selected.class)
public @interface Benchmark {

    String value();

    class Selected implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String wanted = System.getProperty("bench", "").trim();
            return context.getTestClass()
                    .flatMap(type -> AnnotationSupport.findAnnotation(type, Benchmark.class))
                    .map(bench -> wanted.isEmpty() || wanted.equals(bench.value())
                            ? ConditionEvaluationResult.enabled("selected")
                            : ConditionEvaluationResult.disabled("not selected: -Dbench=" + wanted))
                    .orElse(ConditionEvaluationResult.enabled("not a benchmark"));
        }
    }
}
