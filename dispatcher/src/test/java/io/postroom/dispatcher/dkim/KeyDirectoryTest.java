package io.postroom.dispatcher.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyDirectoryTest {
  private static byte[] key2048;
  @TempDir
  Path dir;

  @BeforeAll
  static void makeKey() {
    key2048 = TestKeys.rsa(2048).getPrivate().getEncoded();
  }

  private Path write(String domain, String selector) {
    return TestKeys.writePem(dir, domain, selector, "PRIVATE KEY", key2048);
  }

  @Test
  void theGreatestSelectorNameSignsForItsDomain() {
    write("a.example", "s2026-06");
    write("a.example", "s2026-12");
    write("b.example", "mail");

    KeyDirectory.Scan scan = KeyDirectory.scan(dir, Map.of());

    assertThat(scan.problems()).isEmpty();
    assertThat(scan.keys()).containsOnlyKeys("a.example", "b.example");
    assertThat(scan.keys().get("a.example").selector()).isEqualTo("s2026-12");
    assertThat(scan.keys().get("a.example").dnsName()).isEqualTo("s2026-12._domainkey.a.example");
    assertThat(scan.keys().get("a.example").bits()).isEqualTo(2048);
  }

  @Test
  void theKeyIsNeverPrinted() {
    write("a.example", "s1");

    DkimKey key = KeyDirectory.scan(dir, Map.of()).keys().get("a.example");

    assertThat(key.toString()).doesNotContain(key.privateKey().reveal().substring(0, 40))
        .contains("s1._domainkey.a.example");
    assertThat(key.privateKey().toString()).isEqualTo("***");
  }

  @Test
  void theTxtRecordCarriesThePublicKey() {
    write("a.example", "s1");

    DkimKey key = KeyDirectory.scan(dir, Map.of()).keys().get("a.example");

    assertThat(key.txtRecord()).startsWith("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A");
  }

  @Test
  void aKeyOfFewerThan2048BitsIsRefusedNamingTheFile() {
    Path file = TestKeys.write(dir, "a.example", "s1", 1024);

    KeyDirectory.Scan scan = KeyDirectory.scan(dir, Map.of());

    assertThat(scan.keys()).isEmpty();
    assertThat(scan.problems()).containsExactly("DKIM key " + file
        + ": is an RSA key of 1024 bits; at least 2048 are required");
  }

  @Test
  void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() {
    Path file = TestKeys.writePem(dir, "a.example", "s1", "RSA PRIVATE KEY", new byte[] {1, 2, 3});

    KeyDirectory.Scan scan = KeyDirectory.scan(dir, Map.of());

    assertThat(scan.problems()).singleElement().asString().startsWith("DKIM key " + file + ": is a PKCS#1 key")
        .contains("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void aFileThatIsNoKeyIsRefused() throws IOException {
    Path file = Files.writeString(Files.createDirectories(dir.resolve("a.example")).resolve("s1.pem"), "hello");

    assertThat(KeyDirectory.scan(dir, Map.of()).problems())
        .containsExactly("DKIM key " + file + ": is not a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
  }

  @Test
  void aDomainWhoseNewestFileIsBadKeepsTheKeyItHad() {
    write("a.example", "s1");
    Map<String, DkimKey> before = KeyDirectory.scan(dir, Map.of()).keys();
    TestKeys.write(dir, "a.example", "s2", 1024);

    KeyDirectory.Scan scan = KeyDirectory.scan(dir, before);

    assertThat(scan.keys().get("a.example")).isSameAs(before.get("a.example"));
    assertThat(scan.problems()).hasSize(1);
  }

  @Test
  void anUnchangedFileKeepsItsKeyObjectAndAReplacedOneGetsANewOne() {
    write("a.example", "s1");
    DkimKey first = KeyDirectory.scan(dir, Map.of()).keys().get("a.example");

    DkimKey unchanged = KeyDirectory.scan(dir, Map.of("a.example", first)).keys().get("a.example");
    TestKeys.write(dir, "a.example", "s1", 2048);
    DkimKey replaced = KeyDirectory.scan(dir, Map.of("a.example", first)).keys().get("a.example");

    assertThat(unchanged).isSameAs(first);
    assertThat(replaced).isNotSameAs(first);
    assertThat(replaced.selector()).isEqualTo("s1");
  }

  @Test
  void aKubernetesSecretUpdateSwappingTheDataLinkIsSeen() throws IOException {
    // the kubelet's layout: <mount>/a.example -> ..data/a.example, ..data -> ..<timestamp>
    Path mount = Files.createDirectories(dir.resolve("mount"));
    TestKeys.writePem(mount.resolve("..2026_06"), "a.example", "s2026-06", "PRIVATE KEY", key2048);
    Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_06"));
    Files.createSymbolicLink(mount.resolve("a.example"), Path.of("..data/a.example"));
    Map<String, DkimKey> before = KeyDirectory.scan(mount, Map.of()).keys();
    TestKeys.writePem(mount.resolve("..2026_12"), "a.example", "s2026-06", "PRIVATE KEY", key2048);
    TestKeys.writePem(mount.resolve("..2026_12"), "a.example", "s2026-12", "PRIVATE KEY", key2048);
    Path swap = Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..2026_12"));
    Files.move(swap, mount.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);

    KeyDirectory.Scan after = KeyDirectory.scan(mount, before);

    assertThat(before).containsOnlyKeys("a.example");
    assertThat(before.get("a.example").selector()).isEqualTo("s2026-06");
    assertThat(after.keys().get("a.example").selector()).isEqualTo("s2026-12");
    assertThat(after.problems()).isEmpty();
  }

  @Test
  void aDomainDirectoryWithoutKeysHasNoKey() throws IOException {
    Files.createDirectories(dir.resolve("a.example"));

    assertThat(KeyDirectory.scan(dir, Map.of()).keys()).isEmpty();
  }
}
