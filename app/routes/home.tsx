import { home } from "../content";
import { ContentView } from "../ui/content-view";

export default function Home() {
  return <ContentView content={home} />;
}
