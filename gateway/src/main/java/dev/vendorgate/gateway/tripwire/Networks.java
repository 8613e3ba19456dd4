package dev.vendorgate.gateway.tripwire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A client address's source network as one number: the /24 of an IPv4 address, the /48 of an
 * IPv6 one (IPv4-mapped IPv6 counts as IPv4). Cheap enough for every request: no string.
 */
final class Networks {

    private static final long V6 = 1L << 62;

    private Networks() {}

    /** The network's key, or 0 when the address is not an IP address. */
    static long key(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return 0;
        }
        InetAddress address = socket.getAddress();
        if (address instanceof Inet4Address) {
            return 1L << 32 | (address.hashCode() >>> 8); // Inet4Address.hashCode() is the address
        }
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            long key = 0;
            for (int i = 0; i < 6; i++) {
                key = key << 8 | (b[i] & 0xFF);
            }
            return V6 | key;
        }
        return 0;
    }

    /** The network in CIDR notation. */
    static String describe(long key) {
        if ((key & V6) != 0) {
            long k = key & ~V6;
            return String.format("%x:%x:%x::/48", (k >>> 32) & 0xFFFF, (k >>> 16) & 0xFFFF, k & 0xFFFF);
        }
        long n = key & 0xFFFFFF;
        return ((n >>> 16) & 0xFF) + "." + ((n >>> 8) & 0xFF) + "." + (n & 0xFF) + ".0/24";
    }

    /** The key of a network as {@link #describe} writes it, or 0 if it is not one. */
    static long parse(String cidr) {
        try {
            if (cidr.endsWith(".0/24")) {
                String[] parts = cidr.substring(0, cidr.length() - 5).split("\\.");
                if (parts.length == 3) {
                    long n = 0;
                    for (String part : parts) {
                        int v = Integer.parseInt(part);
                        if (v < 0 || v > 255) {
                            return 0;
                        }
                        n = n << 8 | v;
                    }
                    return 1L << 32 | n;
                }
            } else if (cidr.endsWith("::/48")) {
                String[] parts = cidr.substring(0, cidr.length() - 5).split(":");
                if (parts.length == 3) {
                    long n = 0;
                    for (String part : parts) {
                        n = n << 16 | (Integer.parseInt(part, 16) & 0xFFFF);
                    }
                    return V6 | n;
                }
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
