/**
 * Where blob images live: {@link dev.rewind.storage.tier.Tier} and its implementations (heap with a
 * budget, local disk, Hadoop FileSystem) and compositions (tiered fast/slow, striped over several
 * directories, asynchronous write-behind and read-ahead).
 */
package dev.rewind.storage.tier;
