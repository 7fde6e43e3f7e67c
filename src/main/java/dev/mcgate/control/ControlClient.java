package dev.mcgate.control;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The client side of the control socket: sends one request and reads the response, turning every way of not reaching
 * a daemon into one {@link UnavailableException} with a message an operator can act on.
 */
public final class ControlClient {

    /** Responses are tables and JSON documents; 64 MiB is far beyond any real one and still bounds memory. */
    private static final int MAX_RESPONSE = 64 << 20;

    private ControlClient() {}

    /** No daemon could be asked: the socket is missing, refused, not ours, not permitted, or the daemon timed out. */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    public static ControlResponse exchange(Path socket, ControlRequest request, Duration timeout)
            throws UnavailableException {
        if (!Files.exists(socket)) {
            throw new UnavailableException(
                    "mcgate is not running: no control socket at " + socket + " (use --socket or -c to name another)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new UnavailableException(connectFailure(socket, e));
            }
            try {
                ChannelIo.writeAll(
                        channel, ByteBuffer.wrap(request.toLine().getBytes(StandardCharsets.UTF_8)), deadline);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // A daemon that answers "busy" closes without reading the request: its answer says more than EPIPE.
                byte[] answer = readWhatIsThere(channel, deadline);
                if (answer.length == 0) {
                    throw e;
                }
                return parse(socket, answer);
            }
            return parse(socket, ChannelIo.readAll(channel, MAX_RESPONSE, deadline));
        } catch (SocketTimeoutException e) {
            throw new UnavailableException("mcgate did not answer within " + timeout.toSeconds() + " s on " + socket);
        } catch (IOException e) {
            throw new UnavailableException("control socket " + socket + ": " + e.getMessage());
        }
    }

    private static byte[] readWhatIsThere(SocketChannel channel, long deadline) {
        try {
            return ChannelIo.readAll(channel, MAX_RESPONSE, deadline);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    static ControlResponse parse(Path socket, byte[] all) throws UnavailableException {
        String text = new String(all, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0) {
            throw new UnavailableException(
                    text.isEmpty()
                            ? "mcgate closed the control connection without an " + "answer (" + socket + ")"
                            : "no mcgate on " + socket + ": it answered '"
                                    + text.substring(0, Math.min(40, text.length()))
                                            .replaceAll("\\p{Cntrl}", "?") + "'");
        }
        int exit;
        try {
            exit = ControlResponse.parseStatusLine(text.substring(0, newline));
        } catch (IllegalArgumentException e) {
            throw new UnavailableException(socket + ": " + e.getMessage());
        }
        return new ControlResponse(exit, text.substring(newline + 1));
    }

    private static String connectFailure(Path socket, IOException e) {
        String why = String.valueOf(e.getMessage());
        if (why.contains("Permission denied")) {
            return "permission denied on " + socket + ": run as root or as the user mcgate runs as";
        }
        if (why.contains("Connection refused")) {
            return "mcgate is not running: nothing answers on " + socket + " (a socket left by a crashed run)";
        }
        return "cannot connect to " + socket + ": " + why;
    }
}
