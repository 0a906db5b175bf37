//! Protocol scripts: the phases of a session and the contractions or pushes cued in each.

/// What a block of a script asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Block {
    /// Rest for `seconds`.
    Rest {
        /// Phase name.
        phase: &'static str,
        /// Duration, s.
        seconds: f64,
    },
    /// `reps` contractions of `on_s` at `level` (fraction of MVC), each followed by `off_s` of rest.
    Contractions {
        /// Phase name.
        phase: &'static str,
        /// Repetitions.
        reps: usize,
        /// Contraction duration, s (including rise; release follows).
        on_s: f64,
        /// Rest after each, s.
        off_s: f64,
        /// Target level as a fraction of MVC.
        level: f64,
    },
    /// `reps` simulated evacuations (bearing down) of `on_s`, each followed by `off_s` of rest.
    Push {
        /// Repetitions.
        reps: usize,
        /// Push duration, s.
        on_s: f64,
        /// Rest after each, s.
        off_s: f64,
    },
}

/// A named protocol script.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Script {
    /// Name used on the command line.
    pub name: &'static str,
    /// What it is for.
    pub description: &'static str,
    /// Its blocks in order.
    pub blocks: &'static [Block],
}

impl Script {
    /// Total duration, s.
    pub fn duration_s(&self) -> f64 {
        self.blocks
            .iter()
            .map(|b| match *b {
                Block::Rest { seconds, .. } => seconds,
                Block::Contractions {
                    reps, on_s, off_s, ..
                }
                | Block::Push { reps, on_s, off_s } => reps as f64 * (on_s + off_s),
            })
            .sum()
    }

    /// The built-in script called `name`.
    pub fn named(name: &str) -> Option<&'static Script> {
        SCRIPTS.iter().find(|s| s.name == name)
    }
}

/// Built-in scripts.
pub const SCRIPTS: &[Script] = &[
    Script {
        name: "glazer",
        description: "Glazer assessment (CLINICAL.md §3): 60 s rest, 5 × 2 s flicks (10 s rest), \
                      5 × 10 s holds (10 s rest), 60 s endurance, 60 s rest; then 3 × 5 s pushes",
        blocks: &[
            Block::Rest {
                phase: "pre_baseline",
                seconds: 60.0,
            },
            Block::Contractions {
                phase: "phasic",
                reps: 5,
                on_s: 2.0,
                off_s: 10.0,
                level: 1.0,
            },
            Block::Contractions {
                phase: "tonic",
                reps: 5,
                on_s: 10.0,
                off_s: 10.0,
                level: 0.9,
            },
            Block::Contractions {
                phase: "endurance",
                reps: 1,
                on_s: 60.0,
                off_s: 10.0,
                level: 0.6,
            },
            Block::Rest {
                phase: "post_baseline",
                seconds: 60.0,
            },
            Block::Push {
                reps: 3,
                on_s: 5.0,
                off_s: 15.0,
            },
        ],
    },
    Script {
        name: "glazer-mini",
        description:
            "Glazer in miniature for small fixtures: 8 s rest, 3 × 2 s flicks, 2 × 4 s holds, \
                      10 s endurance, 8 s rest, 2 × 3 s pushes",
        blocks: &[
            Block::Rest {
                phase: "pre_baseline",
                seconds: 8.0,
            },
            Block::Contractions {
                phase: "phasic",
                reps: 3,
                on_s: 2.0,
                off_s: 3.0,
                level: 1.0,
            },
            Block::Contractions {
                phase: "tonic",
                reps: 2,
                on_s: 4.0,
                off_s: 5.0,
                level: 0.9,
            },
            Block::Contractions {
                phase: "endurance",
                reps: 1,
                on_s: 10.0,
                off_s: 4.0,
                level: 0.6,
            },
            Block::Rest {
                phase: "post_baseline",
                seconds: 8.0,
            },
            Block::Push {
                reps: 2,
                on_s: 3.0,
                off_s: 5.0,
            },
        ],
    },
];
