package io.shutterbus.auth.token;

import io.shutterbus.kit.config.ConfigException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the signing key (blocking file IO: call at start, off the event loop). External mode reads
 * a PEM file (PKCS#8 {@code PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}, curve P-256); embedded
 * mode generates a key pair once into the data dir, readable by the owner only, and reuses it.
 */
public final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  public static final String GENERATED_FILE = "jwt-es256.pem";
  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private SigningKeys() {
  }

  public static SigningKey load(KeySettings settings) {
    return settings.generatedDir() != null
        ? loadOrGenerate(settings.generatedDir())
        : fromFile(settings.privateKeyFile(), settings.keyId());
  }

  /**
   * The extra key of {@link KeySettings} (published in the JWKS, never signing), if one is set: a
   * P-256 private key (PKCS#8 or SEC1 PEM, as {@code secrets.sh} writes them) or only its public half
   * ({@code PUBLIC KEY} PEM). Refused when it repeats the signing key's kid or is the signing key.
   */
  public static Optional<SigningKey> extra(KeySettings settings, SigningKey signing) {
    if (settings.extraKeyId() == null) {
      return Optional.empty();
    }
    Path file = settings.extraKeyFile();
    String variable = KeySettings.EXTRA_FILE_VARIABLE;
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(variable + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    ECPublicKey key;
    try {
      key = pem.contains("-----BEGIN PUBLIC KEY-----") ? parsePublicKey(pem) : publicKeyOf(parsePrivateKey(pem));
    } catch (RuntimeException | GeneralSecurityException | IOException e) {
      throw new ConfigException(variable + ": " + file
          + " does not hold an EC P-256 key in PEM (PKCS#8, SEC1 or a PUBLIC KEY)");
    }
    if (settings.extraKeyId().equals(signing.keyId())) {
      throw new ConfigException(KeySettings.EXTRA_KEY_ID_VARIABLE + " repeats the signing key's kid "
          + signing.keyId() + ": the extra key must have a kid of its own");
    }
    if (key.equals(signing.publicKey())) {
      throw new ConfigException(variable + ": " + file + " is the signing key itself; publish the next or the"
          + " previous key there");
    }
    return Optional.of(new SigningKey(settings.extraKeyId(), null, key));
  }

  static ECPublicKey parsePublicKey(String pem) throws GeneralSecurityException {
    ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(body(pem, "PUBLIC KEY")));
    if (!P256_ORDER.equals(key.getParams().getOrder())) {
      throw new GeneralSecurityException("not a P-256 key");
    }
    return key;
  }

  static SigningKey fromFile(Path file, String keyId) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(KeySettings.FILE_VARIABLE + ": cannot read " + file + " (" + e.getClass().getSimpleName()
          + ")");
    }
    ECPrivateKey key;
    try {
      key = parsePrivateKey(pem);
    } catch (RuntimeException | GeneralSecurityException | IOException e) {
      throw new ConfigException(KeySettings.FILE_VARIABLE + ": " + file
          + " does not hold an EC P-256 private key in PEM (PKCS#8 or SEC1)");
    }
    return new SigningKey(keyId, key, publicKeyOf(key));
  }

  static SigningKey loadOrGenerate(Path dir) {
    Path file = dir.resolve(GENERATED_FILE);
    try {
      if (!Files.exists(file)) {
        generate(dir, file);
      }
      restrictToOwner(file);
      ECPrivateKey key = parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
      ECPublicKey pub = publicKeyOf(key);
      return new SigningKey(SigningKey.thumbprint(pub), key, pub);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new ConfigException("cannot load or create the embedded JWT signing key " + file + " (" + e
          + "); fix SHUTTERBUS_DATA_DIR or set " + KeySettings.FILE_VARIABLE);
    }
  }

  private static void generate(Path dir, Path file) throws IOException, GeneralSecurityException {
    boolean posix = posix();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
      if (posix) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(dir);
      }
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Path tmp = posix
        ? Files.createTempFile(dir, ".jwt-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
        : Files.createTempFile(dir, ".jwt-", ".tmp");
    Files.writeString(tmp, SigningKey.pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("generated the embedded JWT signing key {}", file);
  }

  private static void restrictToOwner(Path file) throws IOException {
    if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_READ_WRITE)) {
      LOG.warn("{} was readable by others; restricting it to its owner (0600)", file);
      Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  static ECPrivateKey parsePrivateKey(String pem) throws GeneralSecurityException, IOException {
    byte[] der;
    if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
      der = body(pem, "PRIVATE KEY");
    } else if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
      der = sec1ToPkcs8(body(pem, "EC PRIVATE KEY"));
    } else {
      throw new GeneralSecurityException("no PRIVATE KEY or EC PRIVATE KEY block");
    }
    ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    if (!P256_ORDER.equals(key.getParams().getOrder())) {
      throw new GeneralSecurityException("not a P-256 key");
    }
    return key;
  }

  private static byte[] body(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin) + begin.length();
    int to = pem.indexOf(end, from);
    if (to < 0) {
      throw new IllegalArgumentException("unterminated PEM block");
    }
    return Base64.getMimeDecoder().decode(pem.substring(from, to));
  }

  private static byte[] sec1ToPkcs8(byte[] sec1Der) throws IOException {
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(sec1Der);
    ASN1Encodable curve = sec1.getParametersObject() != null ? sec1.getParametersObject() : SECObjectIdentifiers.secp256r1;
    return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1).getEncoded();
  }

  /** Q = d x G on P-256: a private key file needs no public half beside it. */
  static ECPublicKey publicKeyOf(ECPrivateKey key) {
    X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
    org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(p256.getG(), key.getS()).normalize();
    ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, key.getParams()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
