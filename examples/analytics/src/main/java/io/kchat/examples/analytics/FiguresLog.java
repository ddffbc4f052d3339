package io.kchat.examples.analytics;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the example's figures go: one log line per closed window, on a logger of their own. */
final class FiguresLog implements Consumer<WindowFigures> {

    private static final Logger log = LoggerFactory.getLogger("io.kchat.examples.analytics.figures");

    @Override
    public void accept(WindowFigures figures) {
        log.info(figures.describe());
    }
}
