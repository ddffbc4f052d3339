package io.kchat.manifests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * docs/configuration.md as data: the reference rows (every table headed {@link #HEADER}) and the rows of
 * settings the deployment files set ahead of the code (tables headed {@link #PENDING_HEADER}).
 */
record ConfigurationReference(List<Setting> settings, List<Pending> pending, List<Former> formers) {

    static final String FILE = "docs/configuration.md";
    static final List<String> HEADER = List.of("service", "variable", "required", "default", "meaning");
    static final List<String> PENDING_HEADER = List.of("service", "variable", "contract");
    static final List<String> FORMER_HEADER = List.of("service", "former variable", "variable");

    /** How much a deployment must care about a setting (see the page's introduction). */
    enum Required {
        YES, DEPLOY, NO;

        /** Must be set in docker-compose.yml and in deploy/k8s. */
        boolean inDeployments() {
            return this != NO;
        }

        static Required of(String cell) {
            return valueOf(cell.toUpperCase(Locale.ROOT));
        }
    }

    record Setting(Service service, String variable, Required required, String defaultValue, String meaning) {
    }

    record Pending(Service service, String variable, String contract) {
    }

    /** A variable's former name, still read (with a warning) for one release. */
    record Former(Service service, String former, String variable) {
    }

    static ConfigurationReference load() {
        return parse(Repository.read(FILE));
    }

    static ConfigurationReference parse(String markdown) {
        List<Setting> settings = new ArrayList<>();
        for (MarkdownTables.Table table : MarkdownTables.withHeader(markdown, HEADER)) {
            for (List<String> row : table.rows()) {
                for (Service service : services(row.get(0))) {
                    settings.add(new Setting(service, row.get(1), Required.of(row.get(2)), row.get(3), row.get(4)));
                }
            }
        }
        List<Pending> pending = new ArrayList<>();
        for (MarkdownTables.Table table : MarkdownTables.withHeader(markdown, PENDING_HEADER)) {
            for (List<String> row : table.rows()) {
                for (Service service : services(row.get(0))) {
                    pending.add(new Pending(service, row.get(1), row.get(2)));
                }
            }
        }
        List<Former> formers = new ArrayList<>();
        for (MarkdownTables.Table table : MarkdownTables.withHeader(markdown, FORMER_HEADER)) {
            for (List<String> row : table.rows()) {
                for (Service service : services(row.get(0))) {
                    formers.add(new Former(service, row.get(1), row.get(2)));
                }
            }
        }
        return new ConfigurationReference(List.copyOf(settings), List.copyOf(pending), List.copyOf(formers));
    }

    List<Setting> of(Service service) {
        return settings.stream().filter(s -> s.service() == service).toList();
    }

    Set<String> variables(Service service) {
        return of(service).stream().map(Setting::variable).collect(Collectors.toSet());
    }

    Set<String> pendingVariables(Service service) {
        return pending.stream().filter(p -> p.service() == service).map(Pending::variable).collect(Collectors.toSet());
    }

    /** The variables a deployment must set for {@code service}. */
    List<String> requiredInDeployments(Service service) {
        return of(service).stream().filter(s -> s.required().inDeployments()).map(Setting::variable).toList();
    }

    /** May a deployment file set {@code variable} for {@code service}? */
    boolean allowsInDeployment(Service service, String variable) {
        return variables(service).contains(variable) || variables(Service.JVM).contains(variable)
                || pendingVariables(service).contains(variable);
    }

    /** Documented for any service: a variable name in the code that is at least someone's setting. */
    boolean documentedAnywhere(String variable) {
        return settings.stream().anyMatch(s -> s.variable().equals(variable))
                || pending.stream().anyMatch(p -> p.variable().equals(variable))
                || formers.stream().anyMatch(f -> f.former().equals(variable));
    }

    private static List<Service> services(String cell) {
        return Arrays.stream(cell.split(",")).map(String::strip).map(Service::ofDocName).toList();
    }
}
