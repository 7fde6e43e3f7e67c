package dev.mcgate.tunnel;

/**
 * The sessions a tunnel end knows at one moment, as the loop published them: the current one (data and control are
 * sent under it), the pending one (the responder's, until a message authenticates under it) and the previous one
 * (kept for messages still in flight). Immutable: the data path reads it through a volatile field, with no lock.
 */
record Sessions(Session current, Session pending, Session previous) {

    static final Sessions NONE = new Sessions(null, null, null);

    /** The session a received message names, or null (an old session's, or a forgery). */
    Session find(int id) {
        if (current != null && current.id == id) {
            return current;
        }
        if (pending != null && pending.id == id) {
            return pending;
        }
        if (previous != null && previous.id == id) {
            return previous;
        }
        return null;
    }
}
