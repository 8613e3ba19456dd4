package dev.vendorgate.gateway.supply;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The layout of docs/architecture.md, checked on the compiled classes: the policy model knows
 * nothing of Netty or of the gateway, no two gateway packages depend on each other in a cycle, and
 * only the command line depends on the root that wires everything.
 */
class LayeringTest {

    private static final JavaClasses OURS = NoCodeLoadingTest.OURS;

    @Test
    void thePolicyModelHasNoNettyAndNoGateway() {
        noClasses()
                .that()
                .resideInAPackage("dev.vendorgate.policy..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "dev.vendorgate.gateway..")
                .because("the policy is a model of values, loaded and checked without the runtime (DESIGN.md)")
                .check(OURS);
    }

    @Test
    void gatewayPackagesHaveNoCycles() {
        slices().matching("dev.vendorgate.gateway.(*)..")
                .should()
                .beFreeOfCycles()
                .because("each package owns one thing and depends one way (docs/architecture.md)")
                .check(OURS);
    }

    @Test
    void onlyTheCommandLineDependsOnTheRoot() {
        noClasses()
                .that()
                .resideInAPackage("dev.vendorgate.gateway.(*)..")
                .and()
                .resideOutsideOfPackage("dev.vendorgate.gateway.cli..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.vendorgate.gateway.Gateway")
                .because("the root package wires the parts; the parts do not reach back into it")
                .check(OURS);
    }

    @Test
    void onlyTheRunCommandUsesJdkInternals() {
        // the build hides the compiler's proprietary-API warning (-XDignore.symbol.file, for SIGHUP): this keeps
        // what it hides to sun.misc.Signal in the one class that handles signals
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("dev.vendorgate.gateway.cli.RunCommand")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("sun..", "com.sun..", "jdk.internal..")
                .because("JDK internals may change in any release")
                .check(OURS);
        noClasses()
                .that()
                .haveFullyQualifiedName("dev.vendorgate.gateway.cli.RunCommand")
                .should()
                .dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "JDK internals other than sun.misc.Signal",
                        (com.tngtech.archunit.core.domain.JavaClass c) ->
                                (c.getPackageName().startsWith("sun.")
                                                || c.getPackageName().startsWith("com.sun.")
                                                || c.getPackageName().startsWith("jdk.internal."))
                                        && !c.getName().startsWith("sun.misc.Signal")))
                .check(OURS);
    }
}
