package io.postroom.api.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.bulk.Recipient;
import io.postroom.contract.bulk.RecipientCheck;
import io.postroom.contract.bulk.RecipientEntry;
import io.postroom.contract.bulk.RecipientProblem;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvRecipientsTest {

  private static CsvRecipients csv(String text) {
    return csv(text.getBytes(StandardCharsets.UTF_8));
  }

  private static CsvRecipients csv(byte[] bytes) {
    return new CsvRecipients(new ByteArrayInputStream(bytes), new RecipientCheck("statements-2026-12"));
  }

  /** Each entry with the line it started on. */
  private record Read(RecipientEntry entry, int line) {
  }

  private static List<Read> readAll(CsvRecipients csv) {
    List<Read> all = new ArrayList<>();
    while (csv.hasNext()) {
      RecipientEntry entry = csv.next();
      all.add(new Read(entry, csv.line()));
    }
    return all;
  }

  private static Recipient recipient(Read read) {
    assertThat(read.entry()).isInstanceOf(Recipient.class);
    return (Recipient) read.entry();
  }

  @Test
  void columnsOtherThanKeyAndEmailBecomeTheRecipientsVariables() {
    List<Read> rows = readAll(csv("key,email,name,amount\nc-1,asha@example.org,Asha,\"1,200\"\n"));

    assertThat(rows).hasSize(1);
    Recipient asha = recipient(rows.get(0));
    assertThat(asha.key()).isEqualTo("c-1");
    assertThat(asha.to().email()).isEqualTo("asha@example.org");
    assertThat(asha.vars().asMap()).isEqualTo(Map.of("name", "Asha", "amount", "1,200"));
    assertThat(rows.get(0).line()).isEqualTo(2);
  }

  @Test
  void quotedFieldsMayHoldCommasQuotesAndLineBreaksAndLinesCountThem() {
    List<Read> rows = readAll(csv("email,key,note\r\n"
        + "asha@example.org,c-1,\"She said \"\"hi\"\",\r\nthen left\"\r\n"
        + "ravi@example.org,c-2,plain\r\n"));

    assertThat(recipient(rows.get(0)).vars().asMap()).containsEntry("note", "She said \"hi\",\r\nthen left");
    assertThat(recipient(rows.get(1)).key()).isEqualTo("c-2");
    assertThat(rows).extracting(Read::line).containsExactly(2, 4);
  }

  @Test
  void aByteOrderMarkIsSkippedAndLfCrlfAndNoFinalLineBreakAllWork() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "KEY,Email\nc-1,a@example.org\r\nc-2,b@example.org".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, bytes, 0, bom.length);
    System.arraycopy(body, 0, bytes, bom.length, body.length);

    CsvRecipients csv = csv(bytes);

    assertThat(csv.columns()).containsExactly("KEY", "Email");
    assertThat(readAll(csv)).extracting(r -> recipient(r).key()).containsExactly("c-1", "c-2");
  }

  @Test
  void aHeaderWithoutKeyOrEmailIsRefusedNamingWhatIsMissing() {
    assertThatThrownBy(() -> csv("id,address,name\n1,a@example.org,A\n"))
        .isInstanceOf(CsvRecipients.HeaderException.class).hasMessageContaining("no key and no email column");
    assertThatThrownBy(() -> csv("key,name\n1,A\n"))
        .isInstanceOf(CsvRecipients.HeaderException.class).hasMessageContaining("no email column");
    assertThatThrownBy(() -> csv("key,email,name,Name\n"))
        .isInstanceOf(CsvRecipients.HeaderException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> csv(""))
        .isInstanceOf(CsvRecipients.HeaderException.class).hasMessageContaining("no header row");
  }

  @Test
  void badRowsAreReportedByLineAndTheGoodOnesStillRead() {
    List<Read> rows = readAll(csv("key,email,name\n"
        + "c-1,asha@example.org,Asha\n"
        + "c-2,not an address,Ravi\n"
        + ",nokey@example.org,Nobody\n"
        + "c-1,again@example.org,Again\n"
        + "c-5,five@example.org\n"
        + "\n"
        + "c-6,six@example.org,Six\n"));

    assertThat(rows).extracting(Read::line).containsExactly(2, 3, 4, 5, 6, 8);
    assertThat(rows.get(0).entry()).isInstanceOf(Recipient.class);
    assertThat(code(rows.get(1))).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(code(rows.get(2))).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(code(rows.get(3))).isEqualTo(ErrorCode.DUPLICATE_KEY);
    assertThat(code(rows.get(4))).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(((RecipientProblem) rows.get(4).entry()).message()).contains("line 6 has 2 fields, the header 3");
    assertThat(((RecipientProblem) rows.get(1).entry()).violations().get(0).field()).isEqualTo("line 3.to");
    assertThat(rows.get(5).entry()).isInstanceOf(Recipient.class);
  }

  private static ErrorCode code(Read read) {
    assertThat(read.entry()).isInstanceOf(RecipientProblem.class);
    return ((RecipientProblem) read.entry()).code();
  }

  @Test
  void aRowWithBytesThatAreNotUtf8IsThatRowsProblemNamingItsLine() {
    byte[] bytes = "key,email,name\nc-1,a@example.org,Ren\u00e9e\nc-2,b@example.org,Bo\n"
        .getBytes(StandardCharsets.ISO_8859_1);

    List<Read> rows = readAll(csv(bytes));

    assertThat(((RecipientProblem) rows.get(0).entry()).message()).isEqualTo("line 2 is not UTF-8 (or holds U+FFFD):"
        + " save the file as UTF-8");
    assertThat(recipient(rows.get(1)).key()).isEqualTo("c-2");
  }

  @Test
  void aMillionRowsAreReadOneAtATimeFromAStreamNeverHeldWhole() {
    int rows = 1_000_000;
    GeneratedCsv source = new GeneratedCsv(rows);
    CsvRecipients csv = new CsvRecipients(source, new RecipientCheck("big-send"));

    assertThat(csv.hasNext()).isTrue();
    csv.next();
    // the first recipient is there after one buffer of input, not after the whole stream
    assertThat(source.produced).isLessThan(200_000);
    int count = 1;
    String lastKey = null;
    while (csv.hasNext()) {
      RecipientEntry entry = csv.next();
      assertThat(entry).isInstanceOf(Recipient.class);
      lastKey = entry.key();
      count++;
      // the input is pulled as the rows are read: never more than a buffer ahead of them
      if (count % 100_000 == 0) {
        assertThat(source.produced).isLessThan((long) (count + 4_000) * GeneratedCsv.ROW_BYTES + 200_000);
      }
    }
    assertThat(count).isEqualTo(rows);
    assertThat(lastKey).isEqualTo("c-" + (rows - 1));
    assertThat(csv.line()).isEqualTo(rows + 1);
  }

  /** key,email,name rows made as they are read: the test never holds the file either. */
  static final class GeneratedCsv extends InputStream {
    static final int ROW_BYTES = 48;
    private final int rows;
    private int row = -1;
    private byte[] current = "key,email,name\n".getBytes(StandardCharsets.UTF_8);
    private int position;
    long produced;

    GeneratedCsv(int rows) {
      this.rows = rows;
    }

    @Override
    public int read() {
      if (position == current.length) {
        row++;
        if (row >= rows) {
          return -1;
        }
        current = ("c-" + row + ",person" + row + "@example.org,Person " + row + "\n").getBytes(StandardCharsets.UTF_8);
        position = 0;
      }
      produced++;
      return current[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = 0;
      while (n < len) {
        int c = read();
        if (c < 0) {
          return n == 0 ? -1 : n;
        }
        b[off + n++] = (byte) c;
      }
      return n;
    }
  }
}
