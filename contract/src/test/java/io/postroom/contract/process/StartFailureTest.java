package io.postroom.contract.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StartFailureTest {

  @Test
  void theSentenceOfAStartFailureIsItsOwnWhereverItIsWrapped() {
    StartFailure failure = new StartFailure("topic mail.jobs does not exist; create it");

    assertThat(StartFailure.sentence(new CompletionException(failure))).isEqualTo(
        "topic mail.jobs does not exist; create it");
  }

  @Test
  void anyOtherErrorIsToldByTheFirstLineOfItsRootCause() {
    Exception error = new IllegalStateException("wrapper", new java.net.BindException("Address already in use\nmore"));

    assertThat(StartFailure.sentence(error)).isEqualTo("Address already in use");
  }

  @Test
  void aStartFailureCarriesNoStackTrace() {
    assertThat(new StartFailure("x").getStackTrace()).isEmpty();
  }
}
