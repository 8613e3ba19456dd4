package dev.vendorgate.certs;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one Bouncy Castle provider instance, used for signing without registering it globally. */
final class Bc {

    static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {}
}
