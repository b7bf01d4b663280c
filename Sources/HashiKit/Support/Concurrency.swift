import Dispatch
import Foundation
import Synchronization

/// Hashi's one concurrency helper: an ordered parallel map.
///
/// Items come from a serial producer, are transformed on up to `workers` threads,
/// and their outputs reach a serial consumer in input order, so that whatever the
/// consumer does comes out the same for any number of workers. Items travel in
/// chunks (``OrderedParallelMap/chunkCount`` items or ``OrderedParallelMap/chunkCost``
/// of cost, whichever comes first); at most ``OrderedParallelMap/window`` chunks are
/// handed to the workers and not yet taken by the consumer, besides the one being
/// filled and the one being consumed, so memory stays bounded whatever the number
/// of items.
///
/// The producer runs on a thread of its own and the consumer on the calling
/// thread, so that reading and writing overlap; `transform(worker, item)` runs on
/// worker `worker` (0..<workers), which never runs two items at once, so callers
/// keep per-worker state indexed by it. With one worker everything runs inline,
/// item by item: produce, transform, consume, no thread.
///
/// Errors behave as in a serial loop: the consumer gets the outputs of the items
/// before the first failure (in input order), then the failure is thrown; items
/// after it are not transformed (work under way finishes its current item). A
/// producer's error comes after the outputs of the items it submitted.
///
/// The closures need not be `Sendable`: `transform` runs concurrently with itself
/// (on distinct workers) and with the producer and consumer, so it may only read
/// what they share, and write per-worker state. Every call has returned when
/// ``run(produce:transform:consume:)`` returns.
struct OrderedParallelMap {
    /// Threads transforming items; 1 (or less) runs inline.
    var workers: Int
    /// Items per chunk handed to a worker.
    var chunkCount = 1
    /// A chunk is also handed out when its items' cost reaches this (see `cost` of ``run(cost:produce:transform:consume:)``).
    var chunkCost = Int.max
    /// Chunks handed out and not yet consumed, at most.
    var window: Int

    init(workers: Int, chunkCount: Int = 1, chunkCost: Int = .max, window: Int? = nil) {
        self.workers = max(1, workers)
        self.chunkCount = max(1, chunkCount)
        self.chunkCost = chunkCost
        self.window = max(1, window ?? self.workers * 4)
    }

    /// Runs the map over the items `produce` hands to its argument.
    func run<Item, Output>(
        cost: (Item) -> Int = { _ in 0 },
        produce: (_ submit: (Item) throws -> Void) throws -> Void,
        transform: (_ worker: Int, _ item: Item) throws -> Output,
        consume: (Output) throws -> Void
    ) throws {
        if workers <= 1 {
            // (Both closures escape into the one `submit` closure, which does not outlive this call.)
            try withoutActuallyEscaping(consume) { consume in
                try withoutActuallyEscaping(transform) { transform in
                    try produce { item in try consume(try transform(0, item)) }
                }
            }
            return
        }
        try withoutActuallyEscaping(cost) { cost in
            try withoutActuallyEscaping(produce) { produce in
                try withoutActuallyEscaping(transform) { transform in
                    let shared = OrderedRun(workers: workers, window: window, transform: transform)
                    // Every chunk is done and the producer has returned when this runs.
                    defer { shared.release() }
                    shared.startProducer(chunkCount: chunkCount, chunkCost: chunkCost, cost: cost, produce: produce)
                    try shared.consumeInOrder(consume)
                }
            }
        }
    }

    /// Runs the map over a collection's elements.
    func run<Items: Collection, Output, Failure: Error>(
        over items: Items, transform: (_ worker: Int, _ item: Items.Element) throws(Failure) -> Output,
        consume: (Output) throws(Failure) -> Void
    ) throws(Failure) {
        do {
            try run(produce: { submit in for item in items { try submit(item) } }, transform: transform, consume: consume)
        } catch {
            // Only `transform` and `consume` throw here.
            throw error as! Failure
        }
    }

    /// The outputs of `transform` over a collection's elements, in order.
    func map<Items: Collection, Output, Failure: Error>(
        _ items: Items, _ transform: (_ worker: Int, _ item: Items.Element) throws(Failure) -> Output
    ) throws(Failure) -> [Output] {
        var outputs: [Output] = []
        outputs.reserveCapacity(items.count)
        try run(over: items, transform: transform) { (output) throws(Failure) in outputs.append(output) }
        return outputs
    }
}

/// The state one run of ``OrderedParallelMap`` shares with its producer thread
/// and its workers.
///
/// `@unchecked Sendable`, the one such box of the concurrency helper: the queues
/// and flags are only touched under `lock`; a chunk's items are written by the
/// producer before it is handed out, its outputs and error by the one worker that
/// took it, and read by the consumer after it saw `done` (the lock orders these).
/// The closures are the caller's: `produce` runs on the producer thread alone,
/// `transform` on the workers (documented as safe there), and both are dropped
/// (``release()``) before ``OrderedParallelMap/run(cost:produce:transform:consume:)``
/// returns, when neither runs any more.
private final class OrderedRun<Item, Output>: @unchecked Sendable {
    final class Chunk {
        let sequence: Int
        var items: [Item] = []
        var outputs: [Output] = []
        var error: (any Error)?
        var done = false
        init(sequence: Int) { self.sequence = sequence }
    }

    private struct Bookkeeping {
        /// Next chunk for a worker in `queue`; next chunk to consume in `handedOut`.
        var head = 0
        var oldest = 0
        /// Workers running, and the numbers of the others.
        var active = 0
        var idle: [Int]
        var producing = true
        /// The consumer stopped (an error): the producer stops at its next chunk.
        var stopped = false
    }

    /// The producer stops: the consumer failed.
    private struct Stopped: Error {}

    private var transform: ((Int, Item) throws -> Output)?
    private var produce: (((Item) throws -> Void) throws -> Void)?
    private var cost: ((Item) -> Int)?
    private let workers: Int
    private let window: Int
    private let lock: Mutex<Bookkeeping>
    /// Chunks waiting for a worker, from `head` on (guarded by `lock`).
    private var queue: [Chunk] = []
    /// Chunks handed out, in order, from `oldest` on (guarded by `lock`).
    private var handedOut: [Chunk] = []
    /// The producer's error, set under `lock` before `producing` is cleared.
    private var producerError: (any Error)?
    /// Signalled when a chunk is handed out or done, and when the producer ends.
    private let progress = DispatchSemaphore(value: 0)
    /// Signalled when the consumer takes a chunk (room in the window) or stops.
    private let room = DispatchSemaphore(value: 0)
    /// Chunks after this sequence number are skipped (a failure came before them).
    private let cancelAfter = Atomic<Int>(.max)

    init(workers: Int, window: Int, transform: @escaping (Int, Item) throws -> Output) {
        self.workers = workers
        self.window = window
        self.transform = transform
        lock = Mutex(Bookkeeping(idle: Array((0..<workers).reversed())))
    }

    // MARK: Producer

    /// Runs `produce` on a thread of its own, handing out chunks as they fill.
    func startProducer(
        chunkCount: Int, chunkCost: Int, cost: @escaping (Item) -> Int,
        produce: @escaping ((Item) throws -> Void) throws -> Void
    ) {
        self.cost = cost
        self.produce = produce
        let thread = Thread { self.producerMain(chunkCount: chunkCount, chunkCost: chunkCost) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func producerMain(chunkCount: Int, chunkCost: Int) {
        let failure = runProducer(chunkCount: chunkCount, chunkCost: chunkCost)
        lock.withLock { state in
            producerError = failure
            state.producing = false
        }
        progress.signal()
    }

    /// The producer's error (nil when it ran to the end or was stopped).
    private func runProducer(chunkCount: Int, chunkCost: Int) -> (any Error)? {
        guard let produce, let cost else { return nil }
        var filling = Chunk(sequence: 0)
        var fillingCost = 0
        func handOutFilling() throws {
            guard !filling.items.isEmpty else { return }
            let chunk = filling
            filling = Chunk(sequence: chunk.sequence + 1)
            fillingCost = 0
            try handOut(chunk)
        }
        do {
            try produce { item in
                fillingCost += cost(item)
                filling.items.append(item)
                if filling.items.count >= chunkCount || fillingCost >= chunkCost { try handOutFilling() }
            }
            try handOutFilling()
            return nil
        } catch is Stopped {
            return nil
        } catch {
            // The items submitted before the error are consumed first, as in a serial loop.
            do { try handOutFilling() } catch { return nil }
            return error
        }
    }

    /// Waits for room in the window, then queues `chunk` for a worker, starting
    /// one when fewer than `workers` run.
    private func handOut(_ chunk: Chunk) throws {
        while true {
            let outcome: (start: Int?, queued: Bool, stopped: Bool) = lock.withLock { state in
                if state.stopped { return (nil, false, true) }
                guard handedOut.count - state.oldest < window else { return (nil, false, false) }
                handedOut.append(chunk)
                queue.append(chunk)
                guard state.active < workers else { return (nil, true, false) }
                state.active += 1
                return (state.idle.popLast(), true, false)
            }
            if outcome.stopped { throw Stopped() }
            if outcome.queued {
                progress.signal()
                if let worker = outcome.start {
                    DispatchQueue.global().async { self.work(as: worker) }
                }
                return
            }
            room.wait()
        }
    }

    // MARK: Workers

    /// Transforms queued chunks until none is left.
    private func work(as worker: Int) {
        while true {
            let taken: Chunk? = lock.withLock { state in
                guard state.head < queue.count else {
                    queue.removeAll(keepingCapacity: true)
                    state.head = 0
                    state.active -= 1
                    state.idle.append(worker)
                    return nil
                }
                let chunk = queue[state.head]
                state.head += 1
                return chunk
            }
            guard let chunk = taken else { return }
            transform(chunk, as: worker)
            lock.withLock { _ in chunk.done = true }
            progress.signal()
        }
    }

    private func transform(_ chunk: Chunk, as worker: Int) {
        guard let transform else { return }
        var outputs: [Output] = []
        outputs.reserveCapacity(chunk.items.count)
        for item in chunk.items {
            if chunk.sequence > cancelAfter.load(ordering: .relaxed) { break }
            do {
                outputs.append(try transform(worker, item))
            } catch {
                chunk.error = error
                cancel(after: chunk.sequence)
                break
            }
        }
        chunk.outputs = outputs
        // The items are done with: their memory goes back now, not when the chunk
        // leaves the bookkeeping.
        chunk.items = []
    }

    /// Skips the chunks after `sequence` (-1: all).
    private func cancel(after sequence: Int) {
        var current = cancelAfter.load(ordering: .relaxed)
        while sequence < current {
            let (exchanged, original) = cancelAfter.compareExchange(
                expected: current, desired: sequence, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }

    // MARK: Consumer

    private enum Next {
        case chunk(Chunk)
        case wait
        case end
    }

    /// Hands the outputs to `consume` in order (on the calling thread); throws the
    /// first error in input order once the producer and the workers are done.
    func consumeInOrder(_ consume: (Output) throws -> Void) throws {
        do {
            while true {
                let next: Next = lock.withLock { state in
                    if state.oldest < handedOut.count, handedOut[state.oldest].done {
                        let chunk = handedOut[state.oldest]
                        state.oldest += 1
                        if state.oldest > 64 && state.oldest * 2 > handedOut.count {
                            handedOut.removeFirst(state.oldest)
                            state.oldest = 0
                        }
                        return .chunk(chunk)
                    }
                    return state.oldest == handedOut.count && !state.producing ? .end : .wait
                }
                switch next {
                case .wait:
                    progress.wait()
                case .end:
                    if let error = lock.withLock({ _ in producerError }) { throw error }
                    return
                case .chunk(let chunk):
                    room.signal()
                    let outputs = chunk.outputs
                    // Consumed chunks stay in the bookkeeping for a while: without
                    // their outputs, so that memory holds only the window.
                    chunk.outputs = []
                    for output in outputs { try consume(output) }
                    if let error = chunk.error { throw error }
                }
            }
        } catch {
            stop()
            throw error
        }
    }

    /// Stops the producer and the workers, and waits for them.
    private func stop() {
        cancel(after: -1)
        lock.withLock { state in state.stopped = true }
        room.signal()
        while !lock.withLock({ state in !state.producing && handedOut[state.oldest...].allSatisfy(\.done) }) {
            progress.wait()
        }
    }

    /// Drops the caller's closures: the producer has returned and every chunk is done.
    func release() {
        lock.withLock { _ in
            transform = nil
            produce = nil
            cost = nil
        }
    }
}
