package dev.mcgate.io.pcap;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points pcap4j at the system's libpcap before its classes load.
 *
 * <p>pcap4j loads "libpcap.so", which on Debian only the -dev package provides; the runtime package libpcap0.8
 * installs libpcap.so.0.8. Naming that file makes mcgate work with the runtime package alone, and deterministic.
 */
final class PcapLibrary {

    static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final String[] CANDIDATES = {
        "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
        "/usr/lib/aarch64-linux-gnu/libpcap.so.0.8",
        "/usr/lib64/libpcap.so.1",
        "/usr/lib/libpcap.so.1",
        "/usr/lib/libpcap.so.0.8",
    };

    private PcapLibrary() {}

    /** Sets the library name unless the operator already chose one with -Dorg.pcap4j.core.pcapLibName. */
    static synchronized void configure() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        for (String candidate : CANDIDATES) {
            if (Files.exists(Path.of(candidate))) {
                System.setProperty(PROPERTY, candidate);
                return;
            }
        }
        // Leave it unset: pcap4j then tries "libpcap.so" and its own error names what is missing.
    }
}
