package io.kchat.manifests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The pipe tables of a markdown document, cells trimmed and stripped of their code backticks. */
final class MarkdownTables {

    /** A table: its header cells, and each row's cells in the header's order. */
    record Table(List<String> header, List<List<String>> rows) {
    }

    private MarkdownTables() {
    }

    static List<Table> parse(String markdown) {
        List<Table> tables = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (isRow(lines.get(i)) && isDelimiter(lines.get(i + 1))) {
                List<String> header = cells(lines.get(i));
                List<List<String>> rows = new ArrayList<>();
                int next = i + 2;
                for (; next < lines.size() && isRow(lines.get(next)); next++) {
                    List<String> row = cells(lines.get(next));
                    if (row.size() != header.size()) {
                        throw new IllegalArgumentException("line " + (next + 1) + " has " + row.size()
                                + " cells, its table's header " + header.size() + ": " + lines.get(next));
                    }
                    rows.add(row);
                }
                tables.add(new Table(header, rows));
                i = next - 1;
            }
        }
        return tables;
    }

    /** The tables whose header is exactly {@code header}. */
    static List<Table> withHeader(String markdown, List<String> header) {
        return parse(markdown).stream().filter(t -> t.header().equals(header)).toList();
    }

    private static boolean isRow(String line) {
        String trimmed = line.strip();
        return trimmed.startsWith("|") && trimmed.endsWith("|") && trimmed.length() > 1;
    }

    private static boolean isDelimiter(String line) {
        return isRow(line) && cells(line).stream().allMatch(cell -> cell.matches(":?-{3,}:?"));
    }

    private static List<String> cells(String line) {
        String trimmed = line.strip();
        String inner = trimmed.substring(1, trimmed.length() - 1);
        return Arrays.stream(inner.split("\\|", -1)).map(MarkdownTables::clean).toList();
    }

    private static String clean(String cell) {
        return cell.strip().replace("`", "");
    }
}
