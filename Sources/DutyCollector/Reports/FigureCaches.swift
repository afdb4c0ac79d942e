/// The collector's kept figures, one of each for the whole process (see `StampedCache`): the
/// month's bulletins, shared by the console's bulletin page, its downloads and `/api/v1/bulletin`,
/// and the console's overview and unit figures. The route tests pass their own to see what was
/// built and to wait for figures built in the background.
struct FigureCaches: Sendable {
    let bulletins: BulletinCache
    let pages: StampedCache
    /// The warm-ups asked for after review decisions (see `FigureWarmer`).
    let warmups: WarmRequests

    init(bulletins: BulletinCache = BulletinCache(), pages: StampedCache = StampedCache(),
         warmups: WarmRequests = WarmRequests()) {
        self.bulletins = bulletins
        self.pages = pages
        self.warmups = warmups
    }

    /// Caches whose pages wait `patience` for a rebuild before they show older figures.
    init(patience: Duration) {
        self.init(bulletins: BulletinCache(patience: patience), pages: StampedCache(patience: patience))
    }

    /// Waits for the figures being built in the background.
    func settle() async {
        await warmups.settle()
        await bulletins.cache.settle()
        await pages.settle()
    }
}
