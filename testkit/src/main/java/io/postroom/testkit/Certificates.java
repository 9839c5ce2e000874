package io.postroom.testkit;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A private CA and one server certificate it signed, as PEM files: {@code ca.pem},
 * {@code cert.pem} and {@code key.pem} (PKCS#8, unencrypted). RSA 2048, because every TLS stack
 * — Postfix included — takes it. The server certificate names exactly the hosts it was created
 * for, so a certificate for a host the client does not connect to proves hostname verification.
 */
public final class Certificates {

  private static final Duration CA_VALIDITY = Duration.ofDays(365);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(90);
  // tolerates a clock that is a little behind
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final String SIGNATURE = "SHA256withRSA";

  private final Path dir;
  private final List<String> names;
  private final X509Certificate ca;
  private final X509Certificate certificate;

  private Certificates(Path dir, List<String> names, X509Certificate ca, X509Certificate certificate) {
    this.dir = dir;
    this.names = names;
    this.ca = ca;
    this.certificate = certificate;
  }

  private static Certificates localhost;

  /**
   * A CA-signed certificate for localhost and 127.0.0.1, made once per JVM in a temporary folder:
   * what every test relay on this machine presents.
   */
  public static synchronized Certificates localhost() {
    if (localhost == null) {
      try {
        localhost = create(Files.createTempDirectory("postroom-tls-"), "localhost", "127.0.0.1");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return localhost;
  }

  /**
   * Creates a CA and a server certificate for {@code hostnamesOrIps} (DNS names and IP literals,
   * each a subjectAltName; the first is also the common name) and writes them into {@code dir}.
   */
  public static Certificates create(Path dir, String... hostnamesOrIps) {
    if (hostnamesOrIps.length == 0) {
      throw new IllegalArgumentException("a server certificate needs at least one hostname or IP address");
    }
    try {
      Files.createDirectories(dir);
      KeyPair caKeys = rsaKeyPair();
      KeyPair serverKeys = rsaKeyPair();
      X500Name caName = new X500Name("CN=Postroom Test CA");
      X509Certificate ca = caCertificate(caName, caKeys);
      X509Certificate server = serverCertificate(caName, caKeys, serverKeys, hostnamesOrIps);
      Files.writeString(dir.resolve("ca.pem"), pem(ca));
      Files.writeString(dir.resolve("cert.pem"), pem(server));
      Files.writeString(dir.resolve("key.pem"), pem(new JcaPKCS8Generator(serverKeys.getPrivate(), null)));
      return new Certificates(dir, List.of(hostnamesOrIps), ca, server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates to " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create test certificates", e);
    }
  }

  /** The CA certificate: what a client trusts. */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /** The server certificate alone, without the CA. */
  public Path certPem() {
    return dir.resolve("cert.pem");
  }

  /** The server's private key, PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  public Path keyPem() {
    return dir.resolve("key.pem");
  }

  /** The hostnames and IP addresses the server certificate is valid for. */
  public List<String> names() {
    return names;
  }

  public X509Certificate caCertificate() {
    return ca;
  }

  public X509Certificate serverCertificate() {
    return certificate;
  }

  /** The server certificate and key, for a Vert.x server. */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertPath(certPem().toString()).setKeyPath(keyPem().toString());
  }

  /** Trust in the CA, for a Vert.x client. */
  public PemTrustOptions trustOptions() {
    return new PemTrustOptions().addCertPath(caPem().toString());
  }

  @Override
  public String toString() {
    return "Certificates" + names + " in " + dir;
  }

  private static X509Certificate caCertificate(X500Name name, KeyPair keys)
      throws GeneralSecurityException, IOException, OperatorCreationException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = builder(name, name, keys.getPublic(), CA_VALIDITY)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.subjectKeyIdentifier, false,
            extensions.createSubjectKeyIdentifier(keys.getPublic()));
    return sign(builder, keys);
  }

  private static X509Certificate serverCertificate(
      X500Name caName, KeyPair caKeys, KeyPair serverKeys, String... hostnamesOrIps)
      throws GeneralSecurityException, IOException, OperatorCreationException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    GeneralName[] alternativeNames = Arrays.stream(hostnamesOrIps)
        .map(name -> IPAddress.isValid(name)
            ? new GeneralName(GeneralName.iPAddress, name)
            : new GeneralName(GeneralName.dNSName, name))
        .toArray(GeneralName[]::new);
    X500Name subject = new X500Name("CN=" + hostnamesOrIps[0]);
    X509v3CertificateBuilder builder = builder(caName, subject, serverKeys.getPublic(), SERVER_VALIDITY)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames))
        .addExtension(Extension.subjectKeyIdentifier, false,
            extensions.createSubjectKeyIdentifier(serverKeys.getPublic()))
        .addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(caKeys.getPublic()));
    return sign(builder, caKeys);
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(64, new SecureRandom());
    return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(BACKDATE)),
        Date.from(now.plus(validity)), subject, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
      throws GeneralSecurityException, OperatorCreationException {
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuerKeys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static KeyPair rsaKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
