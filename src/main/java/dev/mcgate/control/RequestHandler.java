package dev.mcgate.control;

/**
 * Answers one control request (the daemon's implementation gathers a snapshot on the loop and renders it). Called on
 * a control worker thread; must not throw for anything a client can send.
 */
@FunctionalInterface
public interface RequestHandler {
    ControlResponse handle(ControlRequest request);
}
