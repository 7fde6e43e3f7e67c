package dev.mcgate.io.linux;

/**
 * Whether this process runs as root, asked of the kernel rather than guessed from the user name.
 */
public final class Privileges {

    private Privileges() {}

    public static boolean isRoot() {
        try {
            return LibC.INSTANCE.getuid() == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
