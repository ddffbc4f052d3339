package io.kchat.schemas;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which push endpoints the server may be made to call (issue 22, D15): a push subscription names a URL that the push
 * sender later POSTs to, so an unchecked one is a server-side request forgery into the deployment's own network. The
 * gateway checks an endpoint when a device registers it, and the sender again before each push (a name can resolve
 * elsewhere by then): https only, and only to public addresses, unless the operator allows http or private ranges
 * (loopback tests, a push service inside the network). Shared here so that both ends apply one rule.
 */
public final class PushEndpoints {

    /** Longer than any push service's endpoint (FCM's and Mozilla's are well under 1,000 characters). */
    public static final int MAX_LENGTH = 2048;

    /** What the operator allows beyond the default: plain http, and hosts in private, loopback or link-local ranges. */
    public record Policy(boolean allowHttp, boolean allowPrivateAddresses) {
        public static final Policy STRICT = new Policy(false, false);
    }

    /** An endpoint refused, with a reason fit to show the client. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }

    /** How host names become addresses; the sender's tests give a fixed answer. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    private PushEndpoints() {
    }

    /**
     * The endpoint's form: an absolute https URL (http only if allowed) with a host, no user info and no fragment, at
     * most {@link #MAX_LENGTH} characters. A literal address in it is checked as {@link #requirePublic} would.
     */
    public static URI parse(String endpoint, Policy policy) throws Refused {
        if (endpoint == null || endpoint.isBlank()) {
            throw new Refused("endpoint is required");
        }
        if (endpoint.length() > MAX_LENGTH) {
            throw new Refused("endpoint is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new Refused("endpoint is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && policy.allowHttp())) {
            throw new Refused("endpoint must be an https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("endpoint has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("endpoint must not carry user info");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("endpoint must not carry a fragment");
        }
        if (uri.getPort() == 0) {
            throw new Refused("endpoint has an invalid port");
        }
        InetAddress literal = literalAddress(uri.getHost());
        if (literal != null && !policy.allowPrivateAddresses() && !isPublic(literal)) {
            throw new Refused("endpoint is in a private, loopback or link-local range");
        }
        return uri;
    }

    /**
     * Resolves the endpoint's host and refuses it when any of its addresses is not public (unless allowed): one
     * private answer is enough for a request to land there.
     */
    public static List<InetAddress> requirePublic(URI endpoint, Policy policy, Resolver resolver) throws Refused {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(endpoint.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("endpoint host does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new Refused("endpoint host does not resolve");
        }
        if (!policy.allowPrivateAddresses()) {
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new Refused("endpoint is in a private, loopback or link-local range");
                }
            }
        }
        return addresses;
    }

    /**
     * Whether an address is globally routable: not unspecified, loopback, private (RFC 1918, unique local), shared
     * (RFC 6598), link-local, multicast, reserved, or a documentation or benchmarking range; IPv4 inside IPv6 (mapped,
     * compatible, NAT64) is judged by its IPv4 address.
     */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address) {
            return isPublicV6(b);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224
                || (a0 == 100 && a1 >= 64 && a1 <= 127)   // shared address space
                || (a0 == 169 && a1 == 254)
                || (a0 == 172 && a1 >= 16 && a1 <= 31)
                || (a0 == 192 && a1 == 168)
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))   // IETF protocol assignments, TEST-NET-1
                || (a0 == 198 && (a1 == 18 || a1 == 19))             // benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100)              // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113));             // TEST-NET-3
    }

    private static boolean isPublicV6(byte[] b) {
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {   // fc00::/7 unique local
            return false;
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return false;   // 2001:db8::/32 documentation
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return false;   // fec0::/10, the deprecated site-local
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0;
        boolean nat64 = (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b);
        if (mapped || compatible || nat64) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        boolean discard = first == 0x01 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0
                && b[6] == 0 && b[7] == 0;   // 100::/64
        return !discard;
    }

    /** The host as an address when it is written as one (IPv4 dotted, or IPv6 in brackets); null for a name. */
    private static InetAddress literalAddress(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = bare.matches("[0-9.]+");
        boolean v6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:.%a-zA-Z]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            // a literal: no lookup happens
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
