/**
 * Linux glue through the JDK and JNA: interface discovery and change detection, multicast MAC filters and ALLMULTI, network namespaces, sd_notify.
 *
 * <p>Threads: discovery runs on whichever thread calls it; the watcher runs on its own daemon thread and reports changes to a listener; the netlink monitor's thread only asks the watcher for a reading.
 */
package dev.mcgate.io.linux;
