/**
 * The pcap4j adapter, and the only package that imports pcap4j: one capture thread per interface delivering raw bytes, direction IN, immediate mode, BPF filters, Ethernet and raw-IP link types; frames are read with non-blocking pcap_next_ex into one reused array per port (a batch ends where the ring is empty), and sent in batches through a send-only packet socket (io.linux.PacketTransmitter).
 *
 * <p>Threads: one capture thread per opened interface; open and close from the owner (daemon) thread.
 */
package dev.mcgate.io.pcap;
