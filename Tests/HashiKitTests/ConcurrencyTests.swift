import Foundation
import Synchronization
import Testing

@testable import HashiKit

@Suite("Ordered parallel map (Support/Concurrency.swift)")
struct ConcurrencyTests {
    struct Failure: Error, Equatable { let item: Int }

    /// Counters and logs shared with the workers.
    final class Log: Sendable {
        let transformed = Mutex(0)
        let busy = Mutex<[Bool]>(Array(repeating: false, count: 16))
        let overlaps = Mutex(0)

        /// Marks `worker` busy for the duration of `body` and counts overlapping uses.
        func working<T>(_ worker: Int, _ body: () throws -> T) rethrows -> T {
            busy.withLock { busy in
                if busy[worker] { overlaps.withLock { $0 += 1 } }
                busy[worker] = true
            }
            defer {
                busy.withLock { $0[worker] = false }
                transformed.withLock { $0 += 1 }
            }
            return try body()
        }
    }

    @Test(arguments: [2, 3, 8])
    func outputsComeInInputOrderWhateverTheDelays(workers: Int) throws {
        let log = Log()
        var consumed: [Int] = []
        let map = OrderedParallelMap(workers: workers, chunkCount: 3)
        try map.run(
            over: 0..<600,
            transform: { worker, item in
                log.working(worker) {
                    if !(0..<workers).contains(worker) { log.overlaps.withLock { $0 += 1 } }
                    usleep(UInt32.random(in: 0...300))
                    return item * 2
                }
            },
            consume: { consumed.append($0) })
        #expect(consumed == (0..<600).map { $0 * 2 })
        #expect(log.overlaps.withLock { $0 } == 0)
        #expect(map.map(0..<100) { _, item in item + 1 } == Array(1...100))
    }

    @Test func theFirstErrorInInputOrderIsThrownAndTheRestCancelled() {
        let log = Log()
        var consumed: [Int] = []
        let map = OrderedParallelMap(workers: 4, chunkCount: 2)
        #expect(throws: Failure(item: 100)) {
            try map.run(
                over: 0..<100_000,
                transform: { worker, item in
                    try log.working(worker) {
                        // A later item fails first; the earlier failure still wins.
                        if item == 100 { usleep(20_000); throw Failure(item: 100) }
                        if item == 103 { throw Failure(item: 103) }
                        usleep(UInt32.random(in: 0...100))
                        return item
                    }
                },
                consume: { consumed.append($0) })
        }
        #expect(consumed == Array(0..<100))
        #expect(log.transformed.withLock { $0 } < 1_000)
    }

    @Test func aConsumerErrorStopsTheWorkers() {
        let log = Log()
        var consumed = 0
        #expect(throws: Failure(item: 50)) {
            try OrderedParallelMap(workers: 3).run(
                over: 0..<100_000,
                transform: { worker, item in log.working(worker) { item } },
                consume: { item in
                    if item == 50 { throw Failure(item: 50) }
                    consumed += 1
                })
        }
        #expect(consumed == 50)
        #expect(log.transformed.withLock { $0 } < 1_000)
    }

    @Test func aProducerErrorComesAfterTheItemsItSubmitted() {
        var consumed: [Int] = []
        #expect(throws: Failure(item: -1)) {
            try OrderedParallelMap(workers: 2, chunkCount: 4).run(
                produce: { submit in
                    for item in 0..<10 { try submit(item) }
                    throw Failure(item: -1)
                },
                transform: { _, item in item },
                consume: { consumed.append($0) })
        }
        #expect(consumed == Array(0..<10))
    }

    @Test func oneWorkerRunsInlineItemByItem() throws {
        let caller = pthread_self()
        var events: [String] = []
        try OrderedParallelMap(workers: 1, chunkCount: 8).run(
            produce: { submit in
                for item in 0..<3 {
                    events.append("p\(item)")
                    try submit(item)
                }
            },
            transform: { worker, item in
                #expect(worker == 0)
                #expect(pthread_equal(pthread_self(), caller) != 0)
                events.append("t\(item)")
                return item
            },
            consume: { events.append("c\($0)") })
        #expect(events == ["p0", "t0", "c0", "p1", "t1", "c1", "p2", "t2", "c2"])
    }

    /// Items submitted and not yet consumed (the producer runs on its own thread).
    final class InFlight: Sendable {
        let counts = Mutex((submitted: 0, consumed: 0, most: 0))
        func submitted() {
            counts.withLock { c in
                c.submitted += 1
                c.most = max(c.most, c.submitted - c.consumed)
            }
        }
        func consumed() -> Int {
            counts.withLock { c in
                c.consumed += 1; return c.consumed
            }
        }
        var most: Int { counts.withLock { $0.most } }
    }

    @Test func itemsInFlightStayBounded() throws {
        let map = OrderedParallelMap(workers: 2, chunkCount: 4, window: 3)
        let flight = InFlight()
        var consumed = 0
        try map.run(
            produce: { submit in
                for item in 0..<20_000 {
                    flight.submitted()
                    try submit(item)
                }
            },
            transform: { _, item in item },
            consume: { _ in
                consumed = flight.consumed()
                // A slow consumer: the producer must wait for it.
                if consumed % 1000 == 0 { usleep(2_000) }
            })
        #expect(consumed == 20_000)
        // The window, the chunk being consumed and the one being filled.
        #expect(flight.most <= (map.window + 2) * map.chunkCount)

        // Chunks also close at their cost (bytes of lines, for the tokenizer).
        let costly = OrderedParallelMap(workers: 2, chunkCount: 1000, chunkCost: 10, window: 2)
        let costlyFlight = InFlight()
        try costly.run(
            cost: { _ in 5 },
            produce: { submit in
                for item in 0..<5_000 {
                    costlyFlight.submitted()
                    try submit(item)
                }
            },
            transform: { _, item in item },
            consume: { _ in consumed = costlyFlight.consumed() })
        #expect(consumed == 5_000)
        #expect(costlyFlight.most <= (costly.window + 2) * 2)
    }
}
