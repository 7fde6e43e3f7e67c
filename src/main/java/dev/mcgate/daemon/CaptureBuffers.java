package dev.mcgate.daemon;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.Role;
import dev.mcgate.io.CaptureLoad;
import dev.mcgate.io.NetInterface;

/** The capture buffer a port opens with: the interface's {@code capture-buffer}, or for auto what its role needs. */
final class CaptureBuffers {

    private CaptureBuffers() {}

    /**
     * The traffic an interface of this role captures. Every port captures IGMP and multicast data (a downstream can
     * hold sources, RFC 4605 §4.2), but the streams arrive on the upstream; a downstream brings its hosts' IGMP and,
     * now and then, a local source's stream.
     */
    static CaptureLoad load(Role role) {
        return role == Role.UPSTREAM ? CaptureLoad.STREAMS : CaptureLoad.MEMBERSHIP;
    }

    /** Bytes to open {@code nif}'s port with: as configured, else by role and MTU ({@link CaptureLoad}). */
    static int bytes(InterfaceConfig ic, NetInterface nif) {
        return ic.captureBuffer().isAuto()
                ? load(ic.role()).bufferBytes(nif.mtu())
                : ic.captureBuffer().bytes();
    }
}
