package io.jasyncio.bench.compare;

/** One cell of the comparison: a workload run by one contender through one API. */
record Entry(Workload workload, Contender contender, Contender.Api api) {

    /** The contender's label, with the API when it has several. */
    String label() {
        return api == Contender.Api.NONE ? contender.label : contender.label + " · " + api.label;
    }
}
