package io.kchat.settings;

/** How much a deployment has to care about a setting: the {@code required} column of docs/configuration.md. */
public enum Need {
    /** The service refuses to start without it. */
    REQUIRED("yes"),
    /** Its default only fits one developer machine (127.0.0.1, a relative directory, an empty password). */
    DEPLOY("deploy"),
    /** The default fits a deployment. */
    OPTIONAL("no");

    private final String documented;

    Need(String documented) {
        this.documented = documented;
    }

    /** As the reference writes it. */
    public String documented() {
        return documented;
    }
}
