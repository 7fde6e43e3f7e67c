/**
 * Linux glue through the JDK and JNA: interface discovery and change detection, multicast MAC filters and ALLMULTI,
 * network namespaces, sd_notify over AF_UNIX datagrams, privileges (switching user, capabilities per thread), and the
 * af-packet engine ({@code AfPacketPacketIo}: packet sockets, hand-assembled BPF, recvmmsg batches) and the af-xdp
 * engine (the same, with an AF_XDP socket and a hand-assembled XDP program for multicast data: {@code XdpAttachment}).
 *
 * <p>Threads: discovery runs on whichever thread calls it; the watcher runs on its own daemon thread and reports changes to a listener; the netlink monitor's thread only asks the watcher for a reading; each af-packet port has one capture thread, and its sends may come from any thread.
 */
package dev.mcgate.io.linux;
