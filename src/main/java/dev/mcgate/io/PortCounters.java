package dev.mcgate.io;

/**
 * A snapshot of one port's frame counters.
 *
 * @param received frames handed to the handler
 * @param sent frames handed to the kernel
 * @param sendErrors sends the kernel refused (interface gone or down, frame too large)
 * @param droppedByKernel frames the capture ring overflowed on (libpcap's ps_drop), or -1 when unknown
 */
public record PortCounters(long received, long sent, long sendErrors, long droppedByKernel) {
}
