package io.shutterbus.kit.auth;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Base64;

/**
 * Checks that JWK coordinates name a point on P-256. The JDK builds a public key from any two
 * numbers, and a key off the curve must never be trusted to verify anything.
 */
final class P256 {
  private static final ECParameterSpec SPEC = spec();

  private P256() {
  }

  static boolean isPoint(String x64, String y64) {
    BigInteger x;
    BigInteger y;
    try {
      byte[] xb = Base64.getUrlDecoder().decode(x64);
      byte[] yb = Base64.getUrlDecoder().decode(y64);
      if (xb.length != 32 || yb.length != 32) {
        return false;
      }
      x = new BigInteger(1, xb);
      y = new BigInteger(1, yb);
    } catch (IllegalArgumentException e) {
      return false;
    }
    BigInteger p = ((ECFieldFp) SPEC.getCurve().getField()).getP();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger left = y.modPow(BigInteger.TWO, p);
    BigInteger right = x.pow(3).add(SPEC.getCurve().getA().multiply(x)).add(SPEC.getCurve().getB()).mod(p);
    return left.equals(right);
  }

  private static ECParameterSpec spec() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no P-256 curve", e);
    }
  }
}
