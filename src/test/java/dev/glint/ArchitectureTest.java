package dev.glint;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.glint.testing.TestStores;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled classes: no package cycle among
 * {@code dev.glint.*} (the root package included), the catalog free of the web framework, features
 * (compute, image, identity) apart from each other and from the wiring in {@code dev.glint}, and
 * {@code http} and {@code error} leaves. Mirrors what {@code jdeps -verbose:package} shows.
 */
class ArchitectureTest {
  static final String[] FEATURES = {
    "dev.glint.compute..", "dev.glint.image..", "dev.glint.identity..", "dev.glint.metadef..",
    "dev.glint.console.."
  };
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    Assumptions.assumeFalse(TestStores.postgres(), "no store involved: runs once, on SQLite");
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.glint");
  }

  /** Each Java package is a slice, {@code dev.glint} itself included. */
  static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          return c.getPackageName().startsWith("dev.glint")
              ? SliceIdentifier.of(c.getPackageName())
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "Java packages under dev.glint";
        }
      };

  static final ArchRule NO_PACKAGE_CYCLES =
      slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

  @Test
  void noPackageCycle() {
    assertThat(main.size()).as("classes imported").isGreaterThan(50);
    NO_PACKAGE_CYCLES.check(main);
  }

  /** The rule above is not vacuous: it fails on a two-package cycle kept in the test sources. */
  @Test
  void theCycleRuleCatchesACycle() {
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.glint.archfixture.cycle");
    assertThatThrownBy(() -> NO_PACKAGE_CYCLES.check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("dev.glint.archfixture.cycle.a")
        .hasMessageContaining("dev.glint.archfixture.cycle.b");
  }

  @Test
  void theCatalogKnowsNoWebFrameworkNorFeature() {
    noClasses()
        .that().resideInAPackage("dev.glint.catalog..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "dev.glint.http..",
            "dev.glint.identity..", "dev.glint.compute..", "dev.glint.image..", "dev.glint.store..")
        .check(main);
  }

  @Test
  void featuresNeverImportEachOther() {
    for (String feature : FEATURES) {
      List<String> others = List.of(FEATURES).stream().filter(f -> !f.equals(feature)).toList();
      noClasses()
          .that().resideInAPackage(feature)
          .should().dependOnClassesThat().resideInAnyPackage(others.toArray(String[]::new))
          .check(main);
    }
  }

  /**
   * The image APIs and identity reach data through the interfaces they declare ({@code
   * ImageRepository}, {@code IdentityRepository}) that {@code store} implements. {@code metadef}
   * is outside this rule for now: it keeps its SQL in its own package over {@code store.Database}.
   */
  @Test
  void featuresNeverReachTheStoreDirectly() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.glint.compute..", "dev.glint.image..", "dev.glint.identity..")
        .should().dependOnClassesThat().resideInAPackage("dev.glint.store..")
        .check(main);
  }

  /** Only the command line sits above the wiring ({@code App}, {@code Server}). */
  @Test
  void nothingButTheCommandLineUsesTheWiring() {
    noClasses()
        .that().resideOutsideOfPackages("dev.glint", "dev.glint.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.glint")
        .check(main);
  }

  /** Operations (metrics, health, faults) sit beside the APIs: they see none of them. */
  @Test
  void operationsKnowNoApiFeature() {
    noClasses()
        .that().resideInAPackage("dev.glint.ops..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .check(main);
  }

  /** {@code http} holds helpers: it may use the error types and libraries, no Glint feature. */
  @Test
  void httpIsALeafOfHelpers() {
    noClasses()
        .that().resideInAPackage("dev.glint.http..")
        .should().dependOnClassesThat(
            resideInAPackage("dev.glint..")
                .and(not(resideInAnyPackage("dev.glint.http..", "dev.glint.error.."))))
        .check(main);
  }

  @Test
  void errorTypesAreALeaf() {
    noClasses()
        .that().resideInAPackage("dev.glint.error..")
        .should().dependOnClassesThat(
            resideOutsideOfPackage("dev.glint.error..")
                .and(not(resideInAnyPackage("java..", "javax.."))))
        .check(main);
  }
}
