package dev.vendorgate.gateway.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Set;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ES256 (ECDSA P-256 with SHA-256, RFC 7518 section 3.4) with Bouncy Castle's lightweight ECDSA on
 * its custom P-256 arithmetic, whose table of generator multiples is computed once per process.
 * Every forwarded request carries a freshly signed assertion, and this signs several times faster
 * than the JDK's provider (which also rebuilds the key for every signature through JCA). The
 * signatures are ordinary ES256: verified by any JOSE library, and by the gateway's own tests
 * with the JDK.
 */
final class Es256Signer implements JWSSigner {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SIZE = 32;

    private final ECPrivateKeyParameters key;
    private final JCAContext jca = new JCAContext();

    Es256Signer(ECKey jwk) throws JOSEException {
        if (!Curve.P_256.equals(jwk.getCurve()) || !jwk.isPrivate()) {
            throw new JOSEException("ES256 needs a private P-256 key");
        }
        this.key = new ECPrivateKeyParameters(jwk.getD().decodeToBigInteger(), DOMAIN);
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new JOSEException("only ES256 is signed here, not " + header.getAlgorithm());
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(signingInput);
        } catch (NoSuchAlgorithmException e) {
            throw new JOSEException("no SHA-256", e);
        }
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(key, RANDOM));
        BigInteger[] rs = signer.generateSignature(hash);
        byte[] signature = new byte[2 * SIZE];
        copy(rs[0], signature, 0);
        copy(rs[1], signature, SIZE);
        return Base64URL.encode(signature);
    }

    /** Writes {@code value} as exactly 32 big-endian bytes (JOSE's fixed-width R || S). */
    private static void copy(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, SIZE);
        System.arraycopy(bytes, bytes.length - length, out, offset + SIZE - length, length);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.ES256);
    }

    @Override
    public JCAContext getJCAContext() {
        return jca;
    }
}
