/**
 * Linux glue through the JDK and JNA: interface discovery and change detection, multicast MAC filters and ALLMULTI,
 * network namespaces, sd_notify over AF_UNIX datagrams, and privileges (switching user, capabilities per thread).
 *
 * <p>Threads: discovery runs on whichever thread calls it; the watcher runs on its own daemon thread and reports changes to a listener.
 */
package dev.mcgate.io.linux;
