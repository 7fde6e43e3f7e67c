/**
 * Ports between the protocol code and the operating system: {@code PacketIo}, {@code FrameHandler}, {@code InterfaceDirectory}, {@code NetInterface}, and {@code SimulatedLan}, an in-memory implementation for tests.
 *
 * <p>Threads: a PacketIo delivers frames on its own capture threads and ends each wake-up's frames with {@code FrameHandler.onBatchEnd}; sends and queued frames may come from any thread and leave in order, serialized per interface.
 */
package dev.mcgate.io;
