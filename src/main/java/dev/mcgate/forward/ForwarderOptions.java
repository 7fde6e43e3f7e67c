package dev.mcgate.forward;

/**
 * Tunables of the forwarding path.
 *
 * @param duplicateWindowNanos  how long a datagram's fingerprint is remembered to drop a second delivery (0: off)
 * @param duplicateGuardSlots   fingerprints remembered at most (rounded up to a power of two)
 * @param flowsPerInterface     flows tracked per arrival interface before the least recently seen are replaced
 * @param checksumSamplesPerFlow how many datagrams of each new flow get their UDP checksum verified
 */
public record ForwarderOptions(
        long duplicateWindowNanos, int duplicateGuardSlots, int flowsPerInterface, int checksumSamplesPerFlow) {

    /**
     * 2 ms of duplicate memory (a bridged loop returns a frame within microseconds; two parallel paths within a
     * millisecond or two), 4096 fingerprints, 4096 flows per interface, 4 checksum samples per flow.
     */
    public static final ForwarderOptions DEFAULTS = new ForwarderOptions(2_000_000L, 4096, 4096, 4);

    public ForwarderOptions {
        if (duplicateWindowNanos < 0
                || duplicateGuardSlots < 1
                || flowsPerInterface < 1
                || checksumSamplesPerFlow < 0) {
            throw new IllegalArgumentException("bad forwarder options " + duplicateWindowNanos + ", "
                    + duplicateGuardSlots + ", " + flowsPerInterface + ", " + checksumSamplesPerFlow);
        }
    }

    public ForwarderOptions withDuplicateWindowNanos(long nanos) {
        return new ForwarderOptions(nanos, duplicateGuardSlots, flowsPerInterface, checksumSamplesPerFlow);
    }

    public ForwarderOptions withFlowsPerInterface(int flows) {
        return new ForwarderOptions(duplicateWindowNanos, duplicateGuardSlots, flows, checksumSamplesPerFlow);
    }
}
