package io.postroom.contract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

class CliTest {

  @Command(name = "bin/postroom sample",
      description = "A command for the tests.")
  static final class Sample implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--jobs", paramLabel = "N", description = "jobs (${DEFAULT-VALUE})")
    long jobs = 10;
    @Option(names = "--rate", paramLabel = "R")
    double rate;
    @Option(names = "--every", paramLabel = "DURATION")
    Duration every;
    @Option(names = "--since", paramLabel = "ISO-INSTANT")
    Instant since;
    boolean ran;

    @Override
    public Integer call() {
      OptionValues.range(spec, "--jobs", jobs, 1, 1_000);
      ran = true;
      return Cli.OK;
    }
  }

  @Test
  void helpNamesTheOptionsAndExits0WithoutRunningTheCommand() {
    Sample sample = new Sample();

    CommandRun run = CommandRun.of(sample, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("bin/postroom sample", "--jobs=N", "jobs (10)", "--rate=R", "-h, --help",
        "-V, --version");
    assertThat(sample.ran).isFalse();
  }

  @Test
  void theShortHelpOptionIsTheSame() {
    assertThat(CommandRun.of(new Sample(), "-h").out()).isEqualTo(CommandRun.of(new Sample(), "--help").out());
  }

  @Test
  void anUnknownOptionIsOneLineNamingItAndAHint() {
    CommandRun run = CommandRun.of(new Sample(), "--bogus");

    assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly("postroom sample: unknown option '--bogus'",
        "try 'bin/postroom sample --help'");
  }

  @Test
  void aMisspeltOptionIsShownTheOneMeant() {
    assertThat(CommandRun.refusal(new Sample(), "--job"))
        .startsWith("postroom sample: unknown option '--job'").contains("did you mean --jobs");
  }

  @Test
  void aValueThatIsNotANumberNamesTheOptionAndTheValue() {
    assertThat(CommandRun.refusal(new Sample(), "--jobs", "x"))
        .isEqualTo("postroom sample: invalid value for --jobs: 'x' is not a whole number");
  }

  @Test
  void wholeNumbersMayGroupTheirDigits() {
    assertThat(CommandRun.parsed(new Sample(), "--jobs=1,000").jobs).isEqualTo(1_000);
  }

  @Test
  void aValueOutOfItsRangeNamesTheRange() {
    assertThat(CommandRun.refusal(new Sample(), "--jobs", "0"))
        .isEqualTo("postroom sample: invalid value for --jobs: must be from 1 to 1,000, got 0");
  }

  @Test
  void aMissingValueNamesTheOption() {
    assertThat(CommandRun.refusal(new Sample(), "--jobs")).startsWith("postroom sample: --jobs needs a value");
  }

  @Test
  void aDurationIsReadAsInTheConfiguration() {
    assertThat(CommandRun.parsed(new Sample(), "--every", "250ms").every).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aTimeThatIsNotAnInstantShowsTheForm() {
    assertThat(CommandRun.refusal(new Sample(), "--since", "2026-11-22"))
        .isEqualTo("postroom sample: invalid value for --since: '2026-11-22' is not an ISO-8601 instant such as"
            + " 2026-11-22T10:00:00Z");
  }

  @Test
  void versionPrintsPostroomsAndJavasVersions() {
    CommandRun run = CommandRun.of(new Sample(), "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().toList()).hasSize(2)
        .satisfies(lines -> assertThat(lines.get(0)).matches("postroom \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"))
        .satisfies(lines -> assertThat(lines.get(1)).startsWith("Java " + Runtime.version()));
  }

  @Test
  void theVersionCommandPrintsTheSameLines() {
    assertThat(CommandRun.of(new Version()).out()).isEqualTo(CommandRun.of(new Sample(), "--version").out());
  }
}
