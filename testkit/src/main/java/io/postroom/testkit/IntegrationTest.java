package io.postroom.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class (or one test) as an integration test: it starts a real component (a Kafka
 * broker, an SMTP relay on a socket, Postfix, Chromium, a child process) or needs kubectl. The
 * JUnit tag {@value #TAG} keeps it out of {@code mvn test} (Surefire excludes it) and in
 * {@code mvn verify} (Failsafe runs only it); the parent pom names the tag for both. In-memory tests,
 * with or without a {@code VertxTestContext}, stay unit tests.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {
  String TAG = "integration";
}
