package io.kchat.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Our production classes, from every module's jar or classes folder on this module's test classpath. */
final class Kchat {

    static final String SETTINGS = "io.kchat.settings..";
    static final String SCHEMAS = "io.kchat.schemas..";
    /** The Avro records generated from schemas/src/main/avro. */
    static final String EVENTS = "io.kchat.events..";
    static final String OBSERVABILITY = "io.kchat.observability..";
    static final String GATEWAY = "io.kchat.gateway..";
    static final String PROCESSOR = "io.kchat.processor..";
    static final String DELIVERY = "io.kchat.delivery..";
    static final String ASSISTANT = "io.kchat.assistant..";

    /** Read once: importing the bytecode of every module is the slow part. */
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kchat");

    private Kchat() {
    }
}
