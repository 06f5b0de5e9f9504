/**
 * The widget's worker entry: the app's one worker (engine, catalogue, recommendations, delivery),
 * built into the widget bundle so it is served next to the widget. Nothing widget-specific runs here.
 */
import '../../worker/drishti.worker.ts';
