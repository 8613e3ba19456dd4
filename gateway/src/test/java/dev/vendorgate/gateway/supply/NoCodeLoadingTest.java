package dev.vendorgate.gateway.supply;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.syntax.elements.ClassesShould;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessibleObject;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's own code loads no code at run time: no class loaders, reflection by class name, service
 * lookups, deserialization, scripting or compiler APIs, native library loading, instrumentation or child
 * processes. Everything that runs is in gateway.jar and listed in its SBOM (docs/supply-chain.md). What
 * libraries do inside the jar (Netty loading its bundled BoringSSL, Jackson finding its modules) is theirs,
 * and stays within the jar. Checked on the compiled classes of every module that ends up in the jar, so a
 * call is found however the source spells it (imports, aliases, fully qualified names).
 */
class NoCodeLoadingTest {

    /**
     * The main classes of policy, certs-dev and gateway, read from where each module's classes are
     * (its classes folder or its jar) rather than by scanning the whole class path.
     */
    static final JavaClasses OURS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importLocations(Stream.of(
                            dev.vendorgate.policy.Policy.class,
                            dev.vendorgate.certs.DevPki.class,
                            dev.vendorgate.gateway.Gateway.class)
                    .map(NoCodeLoadingTest::location)
                    .collect(Collectors.toSet()));

    static final List<ArchRule> RULES = List.of(
            no().dependOnClassesThat()
                    .areAssignableTo(ClassLoader.class)
                    .because(
                            "class loaders (ClassLoader and its subclasses: URLClassLoader, defineClass, ...) load code"),
            no().callMethodWhere(call(Class.class, "forName", false)).because("Class.forName loads a class by name"),
            no().dependOnClassesThat()
                    .areAssignableTo(ServiceLoader.class)
                    .because("ServiceLoader loads classes named in the class path"),
            no().dependOnClassesThat()
                    .areAssignableTo(ObjectInputStream.class)
                    .because("Java deserialization loads the classes a stream names"),
            no().dependOnClassesThat()
                    .resideInAnyPackage("javax.script..", "javax.tools..", "jdk.jshell..", "java.lang.instrument..")
                    .because("scripting, compiler, JShell and instrumentation APIs run or change code"),
            no().callMethodWhere(call(System.class, "load|loadLibrary", false)
                            .or(call(Runtime.class, "load|loadLibrary", false)))
                    .because("native libraries are code outside the jar"),
            no().callMethodWhere(call(Runtime.class, "exec", false))
                    .because("a child process runs code outside the jar"),
            no().dependOnClassesThat()
                    .areAssignableTo(ProcessBuilder.class)
                    .because("a child process runs code outside the jar"),
            no().dependOnClassesThat()
                    .belongToAnyOf(MethodHandles.class, MethodHandles.Lookup.class)
                    .because("method handles reach code by name and define classes (defineClass, defineHiddenClass)"),
            no().callMethodWhere(call(AccessibleObject.class, "setAccessible|trySetAccessible", true))
                    .because("setAccessible overrides access checks"));

    @Test
    void ourClassesLoadNoCode() {
        assertThat(OURS.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith("dev.vendorgate.policy")))
                .as("policy classes imported")
                .isNotEmpty();
        assertThat(OURS.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith("dev.vendorgate.certs")))
                .as("certs-dev classes imported")
                .isNotEmpty();
        assertThat(OURS.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith("dev.vendorgate.gateway")))
                .as("gateway classes imported")
                .isNotEmpty();
        assertThat(OURS.size()).as("classes checked").isGreaterThan(100);
        // every rule, so that a failure lists every violation
        CompositeArchRule.of(RULES).check(OURS);
    }

    private static Location location(Class<?> ofModule) {
        try {
            Path path = Path.of(
                    ofModule.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(path)) {
                return Location.of(path);
            }
            try (JarFile jar = new JarFile(path.toFile())) {
                return Location.of(jar);
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("where are the classes of " + ofModule + "?", e);
        }
    }

    private static ClassesShould no() {
        return noClasses().that().resideInAPackage("dev.vendorgate..").should();
    }

    /** A call of a method named like {@code names} declared by {@code owner} (or, with {@code subclasses}, a subclass). */
    private static DescribedPredicate<JavaMethodCall> call(Class<?> owner, String names, boolean subclasses) {
        return DescribedPredicate.describe(
                "a call of " + owner.getSimpleName() + "." + names,
                call -> call.getTarget().getName().matches(names)
                        && (subclasses
                                ? call.getTarget().getOwner().isAssignableTo(owner)
                                : call.getTarget().getOwner().isEquivalentTo(owner)));
    }
}
