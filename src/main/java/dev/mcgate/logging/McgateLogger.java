package dev.mcgate.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One named logger: asks {@link Logging} for the threshold on every call and writes through it. */
final class McgateLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    /** The class name without its package, as lines show it ("Daemon", not "dev.mcgate.daemon.Daemon"). */
    private final String shortName;

    McgateLogger(String name) {
        this.name = name;
        int dot = name.lastIndexOf('.');
        this.shortName = dot >= 0 && dot < name.length() - 1 ? name.substring(dot + 1) : name;
    }

    @Override
    public boolean isTraceEnabled() {
        return Logging.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return Logging.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return Logging.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return Logging.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return Logging.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        Logging.write(level, shortName, message == null ? "null" : message, throwable);
    }
}
