package dev.mcgate.net;

/** The two address families mcgate routes: IPv4 with IGMP, IPv6 with MLD. */
public enum IpFamily {
    IPV4("IPv4", "IGMP", 32),
    IPV6("IPv6", "MLD", 128);

    private final String label;
    private final String membershipProtocol;
    private final int bits;

    IpFamily(String label, String membershipProtocol, int bits) {
        this.label = label;
        this.membershipProtocol = membershipProtocol;
        this.bits = bits;
    }

    /** The group membership protocol of the family, as logs and status name it. */
    public String membershipProtocol() {
        return membershipProtocol;
    }

    /** The address length in bits (the longest prefix). */
    public int bits() {
        return bits;
    }

    /**
     * The protocol and version of a generation (numbered as IGMP's, see {@code igmp.Query}): IGMPv3 for IPv4 and 3,
     * MLDv2 for IPv6 and 3.
     */
    public String versionName(int generation) {
        return membershipProtocol + "v" + version(generation);
    }

    /** The protocol's own version number of a generation: IGMP's is the generation, MLD's one less. */
    public int version(int generation) {
        return this == IPV4 ? generation : generation - 1;
    }

    @Override
    public String toString() {
        return label;
    }
}
