package io.journeys;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * Keeps the heap the JVM commits close to what the service uses. On a large machine the
 * JVM's defaults start with a heap of 1/64 of memory and rarely give any back; these
 * manageable options make G1 return free heap after collections and, when idle, on a
 * periodic collection. Options the operator set on the command line are left alone, and
 * {@code JOURNEYS_COMPACT_HEAP=false} turns this off.
 */
final class CompactHeap {

	private CompactHeap() {
	}

	static void apply() {
		if ("false".equalsIgnoreCase(System.getenv("JOURNEYS_COMPACT_HEAP"))) {
			return;
		}
		try {
			HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			if (!"true".equals(vm.getVMOption("UseG1GC").getValue())) {
				return;
			}
			setIfDefault(vm, "MinHeapFreeRatio", "10");
			setIfDefault(vm, "MaxHeapFreeRatio", "30");
			setIfDefault(vm, "G1PeriodicGCInterval", "15000");
		}
		catch (RuntimeException ex) {
			// not a HotSpot JVM, or the options are not manageable here: keep the JVM's
			// defaults
		}
	}

	private static void setIfDefault(HotSpotDiagnosticMXBean vm, String name, String value) {
		VMOption option = vm.getVMOption(name);
		if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
			vm.setVMOption(name, value);
		}
	}

	/** Gives back what start-up allocated, once the application is ready. */
	static void shrinkAfterStart() {
		if (!"false".equalsIgnoreCase(System.getenv("JOURNEYS_COMPACT_HEAP"))) {
			System.gc();
		}
	}

}
