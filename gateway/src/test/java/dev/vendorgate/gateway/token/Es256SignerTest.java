package dev.vendorgate.gateway.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fast ES256 signer makes signatures the JDK's verifier accepts, including short R and S values. */
class Es256SignerTest {

    @Test
    void everySignatureVerifiesWithTheJdkAndIsExactly64Bytes() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Es256Signer signer = new Es256Signer(key);
        ECDSAVerifier verifier = new ECDSAVerifier(key.toPublicJWK());
        JWSHeader header = new JWSHeader(JWSAlgorithm.ES256);
        // R or S below 2^248 (a leading zero byte) turns up about once in 128 signatures
        for (int i = 0; i < 2000; i++) {
            byte[] input = ("header.payload-" + i).getBytes(StandardCharsets.US_ASCII);
            Base64URL signature = signer.sign(header, input);
            assertThat(signature.decode()).hasSize(64);
            assertThat(verifier.verify(header, input, signature))
                    .as("signature %d", i)
                    .isTrue();
        }
    }

    @Test
    void refusesOtherAlgorithmsAndPublicKeys() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        assertThatThrownBy(() -> new Es256Signer(key.toPublicJWK())).isInstanceOf(JOSEException.class);
        assertThatThrownBy(() -> new Es256Signer(new ECKeyGenerator(Curve.P_384).generate()))
                .isInstanceOf(JOSEException.class);
        assertThatThrownBy(() -> new Es256Signer(key).sign(new JWSHeader(JWSAlgorithm.ES384), new byte[1]))
                .isInstanceOf(JOSEException.class);
    }
}
