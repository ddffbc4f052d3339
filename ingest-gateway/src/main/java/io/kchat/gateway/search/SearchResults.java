package io.kchat.gateway.search;

import java.util.List;

/**
 * A page of results, newest first.
 *
 * @param next the {@code before} of the following page; null (left out) on the last page
 */
public record SearchResults(List<SearchHit> results, String next) {
}
